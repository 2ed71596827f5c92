"""PDF output with reportlab: born-digital pages with a real text layer (embedded TrueType fonts, so
umlauts and Cyrillic survive extraction) and scanned pages as embedded JPEG images, mixed freely.

Arabic-script runs are embedded as small images inside born-digital pages: reportlab does not shape
Arabic, and a text layer with unshaped, reversed letters would be worse than none for that run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .fonts import font_path, run_font, runs
from .layouts import PageLayout, Shape, Text
from .render import qr_image, rasterise

PX_TO_PT = 72.0 / 300.0


@dataclass(frozen=True)
class PdfPage:
    """A born-digital page (`layout`) or a scanned one (`scan`: JPEG bytes and pixel size)."""

    layout: PageLayout | None = None
    scan: bytes | None = None
    size: tuple[int, int] = (0, 0)

    @classmethod
    def from_image(cls, image: Image.Image, quality: int = 85) -> PdfPage:
        """A scanned page, JPEG-compressed at once so a long stack never holds all its pixels."""
        jpeg = io.BytesIO()
        image.convert("L" if image.mode == "L" else "RGB").save(jpeg, "JPEG", quality=quality)
        return cls(scan=jpeg.getvalue(), size=image.size)


@cache
def _font(family: str, bold: bool) -> str:
    name = f"dach-{family}{'-bold' if bold else ''}"
    pdfmetrics.registerFont(TTFont(name, str(font_path(family, bold))))
    return name


def _arabic_image(text: str, family: str, size: int, bold: bool, color: tuple[int, int, int]) -> Image.Image:
    font = run_font(family, size, bold, True)
    width = int(font.getlength(text)) + 4
    image = Image.new("RGBA", (width, int(size * 1.6)), (255, 255, 255, 0))
    ImageDraw.Draw(image).text((2, size * 1.15), text, font=font, fill=(*color, 255), anchor="ls")
    return image


def _draw_text(c: canvas.Canvas, op: Text, height_px: int) -> None:
    pieces = runs(op.text)
    widths = [run_font(op.family, op.size, op.bold, arabic).getlength(run) for run, arabic in pieces]
    x = op.x - (sum(widths) if op.align == "r" else sum(widths) / 2 if op.align == "m" else 0)
    for (run, arabic), width in zip(pieces, widths, strict=True):
        if arabic:
            img = _arabic_image(run, op.family, op.size, op.bold, op.color)
            top = op.y - op.size * 1.15
            c.drawImage(
                ImageReader(img),
                x * PX_TO_PT,
                (height_px - top - img.height) * PX_TO_PT,
                img.width * PX_TO_PT,
                img.height * PX_TO_PT,
                mask="auto",
            )
        else:
            c.setFont(_font(op.family, op.bold), op.size * PX_TO_PT)
            c.setFillColorRGB(*(v / 255 for v in op.color))
            c.drawString(x * PX_TO_PT, (height_px - op.y) * PX_TO_PT, run)
        x += width


def _draw_shape(c: canvas.Canvas, op: Shape, height_px: int) -> None:
    x0, y0, x1, y1 = op.box
    c.setStrokeColorRGB(*(v / 255 for v in op.color))
    c.setLineWidth(max(op.width, 1) * PX_TO_PT)
    if op.kind == "rect" and (op.width or op.fill is not None):
        if op.fill is not None:
            c.setFillColorRGB(*(v / 255 for v in op.fill))
        c.rect(
            x0 * PX_TO_PT,
            (height_px - y1) * PX_TO_PT,
            (x1 - x0) * PX_TO_PT,
            (y1 - y0) * PX_TO_PT,
            stroke=1 if op.width else 0,
            fill=1 if op.fill is not None else 0,
        )
    elif op.kind == "line":
        c.line(x0 * PX_TO_PT, (height_px - y0) * PX_TO_PT, x1 * PX_TO_PT, (height_px - y1) * PX_TO_PT)
    elif op.kind == "guilloche":
        return  # security print exists on paper only; a born-digital certificate has none
    elif op.kind in ("stamp", "signature", "photo", "qr"):
        # graphics are drawn once by the raster renderer and placed as an image
        width, height = int(x1 - x0), int(y1 - y0)
        sub = PageLayout(width, height, background=(255, 255, 255))
        sub.ops.append(Shape(op.kind, (0, 0, width, height), op.color, op.width, op.fill, op.text, op.seed))
        img = qr_image(op.text, width) if op.kind == "qr" else rasterise(sub)
        rgba = img.convert("RGBA")
        if op.kind in ("stamp", "signature"):
            gray = img.convert("L")
            rgba.putalpha(gray.point(lambda v: 0 if v > 235 else 255))
        c.drawImage(
            ImageReader(rgba),
            x0 * PX_TO_PT,
            (height_px - y1) * PX_TO_PT,
            width * PX_TO_PT,
            height * PX_TO_PT,
            mask="auto",
        )


def write_pdf(pages: list[PdfPage]) -> bytes:
    """The PDF bytes (deterministic: reportlab's invariant mode, no timestamps or random ids)."""
    # reportlab ASCII85-encodes image streams in pure Python by default (seconds per scanned page);
    # binary streams are valid PDF and what scanners write
    previous, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _write(pages)
    finally:
        rl_config.useA85 = previous


def _write(pages: list[PdfPage]) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=True, pageCompression=1)
    c.setTitle("dach sample")
    c.setCreator("dach samples")
    for page in pages:
        if page.layout is not None:
            lay = page.layout
            c.setPageSize((lay.width * PX_TO_PT, lay.height * PX_TO_PT))
            if lay.background != (255, 255, 255):
                c.setFillColorRGB(*(v / 255 for v in lay.background))
                c.rect(0, 0, lay.width * PX_TO_PT, lay.height * PX_TO_PT, stroke=0, fill=1)
            for op in lay.ops:
                if isinstance(op, Text):
                    _draw_text(c, op, lay.height)
                else:
                    _draw_shape(c, op, lay.height)
        elif page.scan is not None:
            width, height = page.size
            c.setPageSize((width * PX_TO_PT, height * PX_TO_PT))
            c.drawImage(ImageReader(io.BytesIO(page.scan)), 0, 0, width * PX_TO_PT, height * PX_TO_PT)
        c.showPage()
    c.save()
    return buffer.getvalue()
