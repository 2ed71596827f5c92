"""Raster rendering of page layouts with Pillow (300 dpi), including stamps, signatures, photo boxes,
security print and QR codes; identity documents are drawn at card size and laid on a scanned A4 page or
framed card-sized; blank back sides and the dach separator sheet.
"""

from __future__ import annotations

import math
import random

import qrcode
from PIL import Image, ImageDraw, ImageFilter

from .fonts import run_font, runs, text_width
from .layouts import A4, PageLayout, Shape, Text


def _draw_text(draw: ImageDraw.ImageDraw, op: Text) -> None:
    width = text_width(op.text, op.family, op.size, op.bold)
    x = op.x - (width if op.align == "r" else width / 2 if op.align == "m" else 0)
    for run, arabic in runs(op.text):
        font = run_font(op.family, op.size, op.bold, arabic)
        draw.text((x, op.y), run, font=font, fill=op.color, anchor="ls")
        x += font.getlength(run)


def _signature(draw: ImageDraw.ImageDraw, op: Shape) -> None:
    rng = random.Random(op.seed)
    x0, y0, x1, y1 = op.box
    points = []
    phase = rng.uniform(0, 6)
    for i in range(90):
        t = i / 89
        x = x0 + t * (x1 - x0) + 25 * math.sin(t * rng.uniform(14, 22) + phase)
        y = (y0 + y1) / 2 + (y1 - y0) * 0.35 * math.sin(t * rng.uniform(9, 15) + phase) * (1 - t * 0.5)
        points.append((x, y))
    draw.line(points, fill=op.color, width=5, joint="curve")
    draw.line([(x0 + 30, y1 - 10), (x1 - 60, y1 - 25)], fill=op.color, width=4)


def _guilloche(draw: ImageDraw.ImageDraw, op: Shape) -> None:
    """Fine interlaced wave lines of security printing, in a pale tint behind the text."""
    rng = random.Random(op.seed)
    x0, y0, x1, y1 = op.box
    height = y1 - y0
    for k in range(rng.randint(18, 30)):
        base = y0 + height * k / 24
        amp, freq, phase = rng.uniform(20, 60), rng.uniform(0.004, 0.012), rng.uniform(0, 6.3)
        points = [(x, base + amp * math.sin(freq * x + phase)) for x in range(int(x0), int(x1), 12)]
        draw.line(points, fill=op.color, width=2)


def _stamp(image: Image.Image, op: Shape) -> None:
    x0, y0, x1 = (int(v) for v in op.box[:3])
    size = x1 - x0
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    color = (*op.color, 170)
    d.ellipse((4, 4, size - 4, size - 4), outline=color, width=8)
    d.ellipse((34, 34, size - 34, size - 34), outline=color, width=3)
    words = op.text.split()
    lines, current = [], ""
    for word in words:
        if current and len(current) + len(word) > 18:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    fs = max(18, int(size / 12))
    for i, line in enumerate(lines[:5]):
        y = size / 2 + (i - (min(len(lines), 5) - 1) / 2) * fs * 1.25
        for run, arabic in runs(line):
            font = run_font("dejavu-sans", fs, True, arabic)
            d.text((size / 2, y), run, font=font, fill=color, anchor="mm")
            break
    angle = (op.seed % 40) - 20 if op.seed else 12
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC)
    image.paste(layer, (x0, y0), layer)


def _photo(image: Image.Image, op: Shape) -> None:
    rng = random.Random(op.seed)
    x0, y0, x1, y1 = (int(v) for v in op.box)
    w, h = x1 - x0, y1 - y0
    bg = rng.randint(190, 230)
    photo = Image.new("RGB", (w, h), (bg, bg, bg + 5))
    d = ImageDraw.Draw(photo)
    skin = (rng.randint(150, 220), rng.randint(110, 170), rng.randint(90, 140))
    d.ellipse((w * 0.08, h * 0.68, w * 0.92, h * 1.3), fill=tuple(rng.randint(30, 90) for _ in range(3)))
    d.rectangle((w * 0.42, h * 0.55, w * 0.58, h * 0.75), fill=skin)
    d.ellipse((w * 0.27, h * 0.17, w * 0.73, h * 0.64), fill=skin)
    d.ellipse((w * 0.25, h * 0.1, w * 0.75, h * 0.36), fill=tuple(rng.randint(20, 70) for _ in range(3)))
    photo = photo.convert("L").convert("RGB").filter(ImageFilter.GaussianBlur(3))
    image.paste(photo, (x0, y0))


def qr_image(payload: str, size: int) -> Image.Image:
    # error correction M and a 4-module quiet zone, as `dach separator-sheet` prints it
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload)
    code.make(fit=True)
    img = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return img.resize((size, size), Image.Resampling.NEAREST)


def rasterise(page: PageLayout) -> Image.Image:
    image = Image.new("RGB", (page.width, page.height), page.background)
    draw = ImageDraw.Draw(image)
    for op in page.ops:
        if isinstance(op, Text):
            _draw_text(draw, op)
        elif op.kind == "rect":
            if op.fill is not None:
                draw.rectangle(op.box, fill=op.fill)
            if op.width:
                draw.rectangle(op.box, outline=op.color, width=op.width)
        elif op.kind == "line":
            draw.line(op.box, fill=op.color, width=op.width)
        elif op.kind == "signature":
            _signature(draw, op)
        elif op.kind == "guilloche":
            _guilloche(draw, op)
        elif op.kind == "stamp":
            _stamp(image, op)
            draw = ImageDraw.Draw(image)
        elif op.kind == "photo":
            _photo(image, op)
        elif op.kind == "qr":
            x0, y0, x1, _ = (int(v) for v in op.box)
            image.paste(qr_image(op.text, x1 - x0), (x0, y0))
    return image


def placement(rng: random.Random, card: tuple[int, int]) -> tuple[int, int]:
    """Where a card or passport page lies on the scanner's A4 glass (top left corner, pixels)."""
    return rng.randint(150, A4[0] - card[0] - 150), rng.randint(150, max(160, A4[1] // 2 - card[1]))


def place_on_a4(card: Image.Image, at: tuple[int, int]) -> Image.Image:
    """The card lying at `at` on the glass under a white cover, with a slight shadow."""
    page = Image.new("RGB", A4, (250, 250, 248))
    x, y = at
    page.paste(Image.new("RGB", card.size, (200, 200, 200)), (x + 8, y + 8))
    page.paste(card, (x, y))
    return page


def frame_card(card: Image.Image, margin: int = 60) -> Image.Image:
    """A card-sized scan: the card with a narrow margin of the scanner's background."""
    frame = Image.new("RGB", (card.width + 2 * margin, card.height + 2 * margin), (245, 245, 242))
    frame.paste(card, (margin, margin))
    return frame


def separator_layout() -> PageLayout:
    """The dach separator sheet as `dach separator-sheet` prints it (same geometry, converted to 300 dpi
    pixels): title "Trennblatt – dach" 4 cm from the top, a 9 cm QR code with payload DACH-SEPARATOR-V1
    in the middle, two lines of explanation below and the payload in small print at the foot."""
    cm, pt = 300 / 2.54, 300 / 72
    width, height = A4
    side = 9 * cm
    qr_bottom = height / 2 + side / 2
    page = PageLayout(*A4)
    page.ops.append(Text(width / 2, 4 * cm, "Trennblatt – dach", round(32 * pt), "dejavu-sans", align="m"))
    page.ops.append(
        Shape(
            "qr",
            ((width - side) / 2, height / 2 - side / 2, (width + side) / 2, qr_bottom),
            text=SEPARATOR_PAYLOAD,
        )
    )
    for offset, line in (
        (1.5, "Dieses Blatt trennt zwei Dokumente eines Stapels."),
        (2.2, "Es wird beim Einlesen erkannt und nicht abgelegt."),
    ):
        page.ops.append(Text(width / 2, qr_bottom + offset * cm, line, round(13 * pt), "dejavu-sans", align="m"))
    page.ops.append(Text(width / 2, height - 2 * cm, SEPARATOR_PAYLOAD, round(9 * pt), "dejavu-sans", align="m"))
    return page


SEPARATOR_PAYLOAD = "DACH-SEPARATOR-V1"


def blank_page(seed: int) -> Image.Image:
    """The empty back side of a duplex scan: paper tone with a few specks of dust."""
    rng = random.Random(seed)
    tone = rng.randint(244, 253)
    image = Image.new("RGB", A4, (tone, tone, tone - 2))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(0, 3)):
        x, y = rng.randint(0, A4[0]), rng.randint(0, A4[1])
        draw.point((x, y), fill=(180, 180, 180))
    return image
