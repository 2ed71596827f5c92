"""Synthetic 300-dpi test pages for the OCR tests: text set with DejaVu fonts, optionally degraded.

Small and deterministic on purpose: the full sample generator (`lab/samples/`) makes the corpus that
accuracy is measured on; these pages only have to show that each step of `ocr/` does what it says.
"""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFont

A4_300DPI = (2480, 3508)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

_GERMAN_TEXT = (
    "Landkreis Musterstadt Ausländerbehörde Bescheid über die Gewährung von Leistungen nach dem "
    "Asylbewerberleistungsgesetz für den Zeitraum vom 01.03.2025 bis 31.08.2025 Sehr geehrte Frau Müller "
    "hiermit wird Ihnen mitgeteilt dass Ihr Antrag geprüft wurde Die monatliche Leistung beträgt 441,00 Euro "
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden "
    "Der Widerspruch ist schriftlich oder zur Niederschrift bei der Behörde einzulegen Straße Größe Übergabe"
)
GERMAN = _GERMAN_TEXT.split()
_UKRAINIAN_TEXT = (
    "Свідоцтво про народження Прізвище Шевченко Ім'я Олена По батькові Іванівна Дата народження "
    "дванадцятого березня тисяча дев'ятсот вісімдесят п'ятого року Місце народження місто Київ Україна "
    "Батько Шевченко Іван Петрович Мати Шевченко Марія Олексіївна Державна реєстрація актів цивільного стану"
)
UKRAINIAN = _UKRAINIAN_TEXT.split()


def text_page(
    words: list[str] = GERMAN,
    *,
    lines: int = 40,
    seed: int = 1,
    font: str = FONT,
    size: int = 38,
    title: str = "Bescheid",
) -> np.ndarray:
    """A dense upright A4 page at 300 dpi, gray uint8, black text on white."""
    rng = random.Random(seed)
    image = Image.new("L", A4_300DPI, 255)
    draw = ImageDraw.Draw(image)
    draw.text((200, 180), title, font=ImageFont.truetype(font, 72), fill=0)
    body = ImageFont.truetype(font, size)
    y = 360
    for _ in range(lines):
        line: list[str] = []
        while draw.textlength(" ".join([*line, "Mmmmmmmmmmmm"]), font=body) < 2000:
            line.append(rng.choice(words))
        draw.text((220, y), " ".join(line), font=body, fill=0)
        y += int(size * 1.9)
        if y > A4_300DPI[1] - 250:
            break
    return np.asarray(image)


def rotate(page: np.ndarray, degrees: float) -> np.ndarray:
    """Turn a page counter-clockwise by `degrees` (any angle), filling with white."""
    return np.asarray(
        Image.fromarray(page).rotate(degrees, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    )


def degrade(page: np.ndarray, *, seed: int = 1, noise: float = 0.0, light: float = 0.0) -> np.ndarray:
    """Scanner noise (salt and pepper fraction) and uneven light (0..1 darkening towards one corner)."""
    rng = np.random.default_rng(seed)
    out = page.astype(np.float32)
    if light:
        h, w = out.shape
        yy, xx = np.mgrid[0:h, 0:w]
        out *= 1.0 - light * (xx / w + yy / h) / 2.0
    if noise:
        mask = rng.random(out.shape)
        out[mask < noise / 2] = 0
        out[mask > 1 - noise / 2] = 255
    return np.clip(out, 0, 255).astype(np.uint8)


def encode(page: np.ndarray, fmt: str = "PNG", dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, format=fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def tiff_pages(pages: list[np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    images = [Image.fromarray(p) for p in pages]
    images[0].save(
        buffer, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=(300, 300)
    )
    return buffer.getvalue()
