"""Rendered MRZ bands with exact character positions: training material for the OCR-B cell classifier.

A band is what `ocr.mrz_locate` cuts out of a page: two or three lines of OCR-B on the security print of a
card or passport page, turned upright, at whatever resolution the scan or photo had. Each band is drawn
large (with the document's own letter and line spacing, stroke weight and slight print jitter), then
brought down to the size real cards reach (5 to 30 pixels a line) and degraded as cameras and scanners
degrade it: blur, noise, JPEG, faded ink, uneven light. The truth is the text of every line and the grid it
sits on (left edge and pitch, in pixels of the final band), so cells can be cut exactly where they are.

Lines come from the generator's identity documents (so names, numbers and fillers are distributed as on
documents) and, for one band in four, from random characters, so rare letters (Q, X, Y) are seen often.
`ordinary_text_band` draws lines of ordinary (serif, proportional) print: what is *not* an MRZ.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import identity
from .fonts import LATIN_FAMILIES, font_path

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_KINDS = ("passport", "id_card", "residence_permit", "visa")
_WORDS = (
    "Reisepass",
    "Passport",
    "Surname",
    "Nom",
    "Given",
    "names",
    "Prenoms",
    "Nationality",
    "Date",
    "of",
    "birth",
    "Geburtsdatum",
    "Sex",
    "Sexe",
    "Place",
    "of",
    "birth",
    "Authority",
    "Behörde",
    "Date",
    "of",
    "expiry",
    "Gültig",
    "bis",
    "Signature",
    "UKRAINE",
    "DEUTSCH",
    "AUFENTHALTSTITEL",
    "Ausweis",
    "Karte",
    "REPUBLIC",
    "Identity",
    "card",
    "12.03.2021",
    "Kyiv",
    "Berlin",
    "Remarks",
    "Anmerkungen",
    "0123456789",
)


@dataclass(frozen=True)
class Band:
    """A rendered band: gray pixels, the text of each line and the grid each line was printed on."""

    gray: np.ndarray  # uint8 (height, width)
    lines: tuple[str, ...]
    lefts: tuple[float, ...]  # left edge of each line's first cell, in band pixels
    pitch: float  # band pixels per character
    tops: tuple[float, ...]  # top of each line's capitals, in band pixels
    cap: float  # capital height in band pixels

    def turned(self) -> Band:
        """The band upside down: lines in reverse order, each read backwards, on the mirrored grid."""
        height, width = self.gray.shape
        ends = [width - left - len(line) * self.pitch for left, line in zip(self.lefts, self.lines, strict=True)]
        return Band(
            gray=np.ascontiguousarray(self.gray[::-1, ::-1]),
            lines=tuple(line[::-1] for line in reversed(self.lines)),
            lefts=tuple(reversed(ends)),
            pitch=self.pitch,
            tops=tuple(height - top - self.cap for top in reversed(self.tops)),
            cap=self.cap,
        )


def _mrz_lines(rng: random.Random) -> list[str]:
    if rng.random() < 0.25:
        count, length = rng.choice(((3, 30), (2, 36), (2, 44)))
        lines = []
        for _ in range(count):
            chars = [rng.choice(ALPHABET) for _ in range(length)]
            # Runs of fillers, as every zone has them.
            start = rng.randrange(length)
            for i in range(start, min(length, start + rng.randrange(1, 12))):
                chars[i] = "<"
            lines.append("".join(chars))
        return lines
    content = getattr(identity, rng.choice(_KINDS))(rng)
    lines = content.fields["mrz"]
    assert isinstance(lines, list)
    return [str(line) for line in lines]


def _background(rng: random.Random, width: int, height: int) -> np.ndarray:
    """Paper or card stock: a light tint, a soft gradient and guilloche lines of the security print."""
    base = np.array([rng.uniform(175, 255) for _ in range(3)], np.float32)
    base = np.clip(base + rng.uniform(-10, 10), 150, 255)
    image = np.ones((height, width, 3), np.float32) * base
    gx = np.linspace(-1, 1, width)[None, :, None]
    gy = np.linspace(-1, 1, height)[:, None, None]
    image += (gx * rng.uniform(-25, 25) + gy * rng.uniform(-25, 25)).astype(np.float32)
    for _ in range(rng.randrange(0, 14)):
        xs = np.arange(0, width, 2)
        amp, period, phase = rng.uniform(2, height / 2), rng.uniform(30, 400), rng.uniform(0, 6.3)
        ys = height * rng.random() + amp * np.sin(xs / period * 6.3 + phase)
        points = np.stack([xs, ys], axis=1).astype(np.int32)
        colour = tuple(float(c) for c in np.clip(base - rng.uniform(10, 70), 0, 255))
        cv2.polylines(image, [points], False, colour, rng.choice((1, 1, 2, 3)), cv2.LINE_AA)
    if rng.random() < 0.5:  # coarse texture
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 1, (height // 8 + 1, width // 8 + 1))
        texture = cv2.resize(noise.astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
        image += texture[:, :, None] * rng.uniform(2, 14)
    return image


def _draw_text_lines(
    rng: random.Random, canvas: Image.Image, font: ImageFont.FreeTypeFont, lines: list[str], pitch: float,
    left: float, tops: list[float], ink: tuple[int, int, int], stroke: int, cap_top: float, jitter: float,
    mono: bool,
) -> None:  # fmt: skip
    draw = ImageDraw.Draw(canvas)
    for line, top in zip(lines, tops, strict=True):
        if not mono:
            draw.text((left, top - cap_top), line, fill=ink, font=font, stroke_width=stroke)
            continue
        # Each glyph's advance box centred in its cell: the cell grid is what the reader lays over the line.
        offset = (pitch - font.getlength("0")) / 2
        for i, char in enumerate(line):
            dx, dy = rng.gauss(0, jitter * pitch), rng.gauss(0, jitter * pitch)
            x = left + i * pitch + offset + dx
            draw.text((x, top - cap_top + dy), char, fill=ink, font=font, stroke_width=stroke)


def _degrade(rng: random.Random, image: np.ndarray, cap: float) -> np.ndarray:
    """Camera and scanner at the final size: blur, uneven light, noise, JPEG; returns gray uint8."""
    if rng.random() < 0.7:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.3, 0.25 + cap / 14))
    if rng.random() < 0.15:
        size = rng.choice((3, 5))
        kernel = np.zeros((size, size), np.float32)
        kernel[size // 2, :] = 1.0 / size
        image = cv2.filter2D(image, -1, kernel)
    width = image.shape[1]
    if rng.random() < 0.5:  # glare or shadow across the band
        gx = np.linspace(0, 1, width)[None, :, None]
        centre, spread = rng.uniform(0, 1), rng.uniform(0.1, 0.6)
        light = np.exp(-(((gx - centre) / spread) ** 2)) * rng.uniform(-70, 60)
        image = image + light
    if rng.random() < 0.4:  # low contrast: faded print, washed-out photo
        mid = float(image.mean())
        image = mid + (image - mid) * rng.uniform(0.35, 0.85)
    image = image + np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(0, 10), image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if rng.random() < 0.85 else image[:, :, rng.randrange(3)]
    if rng.random() < 0.8:
        ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, rng.randrange(12, 95)])
        decoded = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if ok else None
        if decoded is not None:
            gray = decoded
    return np.ascontiguousarray(gray)


def _render(
    rng: random.Random, lines: list[str], font_file: str, spacing: tuple[float, float], *, mono: bool = True
) -> Band:
    cap_big = rng.uniform(36, 56)
    probe = ImageFont.truetype(font_file, 100)
    cap_box = probe.getbbox("H")
    size = round(cap_big * 100 / (cap_box[3] - cap_box[1]))
    font = ImageFont.truetype(font_file, size)
    cap_top, cap_bottom = font.getbbox("H")[1], font.getbbox("H")[3]
    cap_big = float(cap_bottom - cap_top)
    pitch = font.getlength("0") * rng.uniform(*spacing)
    line_pitch = cap_big * rng.uniform(1.45, 2.2)
    margin_x = pitch * rng.uniform(0.3, 2.5)
    margin_top, margin_bottom = cap_big * rng.uniform(0.4, 1.6), cap_big * rng.uniform(0.4, 1.6)
    length = max(len(line) for line in lines)
    width = round(2 * margin_x + length * pitch)
    height = round(margin_top + (len(lines) - 1) * line_pitch + cap_big + margin_bottom)
    background = _background(rng, width, height)
    canvas = Image.fromarray(np.clip(background, 0, 255).astype(np.uint8))
    tops = [margin_top + i * line_pitch for i in range(len(lines))]
    if rng.random() < 0.35:  # print of the visual zone just above the band
        viz = ImageFont.truetype(str(font_path(rng.choice(LATIN_FAMILIES), rng.random() < 0.4)), round(size * 0.7))
        words = " ".join(rng.choice(_WORDS) for _ in range(12))
        ImageDraw.Draw(canvas).text((margin_x, -size * rng.uniform(0.2, 0.5)), words, fill=(60, 60, 70), font=viz)
    shade = rng.uniform(0, 110)
    red, green, blue = (int(np.clip(shade + rng.uniform(-20, 20), 0, 140)) for _ in range(3))
    ink = (red, green, blue)
    stroke = rng.choice((0, 0, 0, 1, 2))
    _draw_text_lines(rng, canvas, font, lines, pitch, margin_x, tops, ink, stroke, cap_top, rng.uniform(0, 0.02), mono)
    image: np.ndarray = np.asarray(canvas).astype(np.float32)
    weight = rng.random()
    if weight < 0.25:  # thinner strokes than the font's (light ink on light card: dilate the background)
        image = cv2.dilate(image, np.ones((rng.choice((3, 5)), rng.choice((3, 5))), np.uint8))
    elif weight < 0.35:  # heavier strokes: ink bleeding into the paper
        image = cv2.erode(image, np.ones((3, 3), np.uint8))
    angle = rng.gauss(0, 0.6)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    image = cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    cap_small = float(np.exp(rng.uniform(np.log(5.0), np.log(30.0))))
    factor = cap_small / cap_big
    # Scanners and cameras do not keep the aspect ratio exactly (another dpi across, a slanted view): glyphs
    # come out narrower or wider than the font draws them.
    stretch = float(np.exp(rng.uniform(np.log(0.8), np.log(1.3)))) if rng.random() < 0.6 else 1.0
    final = (max(8, round(width * factor * stretch)), max(8, round(height * factor)))
    small = cv2.resize(image, final, interpolation=cv2.INTER_AREA)
    gray = _degrade(rng, small, cap_small)
    fx, fy = gray.shape[1] / width, gray.shape[0] / height
    return Band(
        gray=gray,
        lines=tuple(lines),
        lefts=tuple(margin_x * fx for _ in lines),
        pitch=pitch * fx,
        tops=tuple(t * fy for t in tops),
        cap=cap_big * fy,
    )


def mrz_band(rng: random.Random) -> Band:
    """An MRZ band of a random document, printed in OCR-B (one in ten in another monospaced font, as
    some specimens and home-made copies are) and degraded."""
    font = font_path("ocrb") if rng.random() < 0.9 else font_path("dejavu-mono", rng.random() < 0.3)
    return _render(rng, _mrz_lines(rng), str(font), (0.98, 1.45))


def ordinary_text_band(rng: random.Random) -> Band:
    """Two or three lines of ordinary print (not OCR-B), degraded like a band: what is not an MRZ."""
    count = rng.choice((2, 3))
    length = rng.choice((30, 36, 44))
    lines = []
    for _ in range(count):
        text = ""
        while len(text) < length:
            text += rng.choice(_WORDS).upper() + rng.choice((" ", "  ", "-", "/"))
        lines.append(text[:length])
    # Serif faces only: sans glyphs on a grid are what the monospaced MRZ bands teach as characters.
    family = rng.choice([f for f in LATIN_FAMILIES if "serif" in f])
    return _render(rng, lines, str(font_path(family, rng.random() < 0.5)), (0.9, 1.2), mono=False)
