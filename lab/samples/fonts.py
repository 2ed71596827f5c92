"""Fonts of the generator (Debian packages fonts-dejavu, fonts-liberation, fonts-noto, fonts-ocr-b) and
script-aware text runs: Arabic-script runs use an Arabic font, everything else the Latin/Cyrillic font.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont

from schemas.errors import DachError

_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype"))

# family -> (regular, bold) file names
FAMILIES: dict[str, tuple[str, str]] = {
    "dejavu-sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "dejavu-serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "liberation-sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "liberation-serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    "noto-sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "noto-serif": ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    "arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "arabic-sans": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "ocrb": ("OCRB.otf", "OCRB.otf"),
    "dejavu-mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    # slanted faces for handwritten notes (fonts-noto-core)
    "hand-serif": ("NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
    "hand-sans": ("NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"),
}
LATIN_FAMILIES = (
    "dejavu-sans",
    "dejavu-serif",
    "liberation-sans",
    "liberation-serif",
    "noto-sans",
    "noto-serif",
)

_ARABIC_RUN = re.compile(
    r"([\u0600-\u06ff\ufb50-\ufeff][\u0600-\u06ff\ufb50-\ufeff\u200c\s()\-.,،0-9]*"
    r"[\u0600-\u06ff\ufb50-\ufeff)]|[\u0600-\u06ff\ufb50-\ufeff])"
)


class MissingFont(DachError):
    code = "missing_font"


@cache
def font_path(family: str, bold: bool = False) -> Path:
    name = FAMILIES[family][1 if bold else 0]
    for base in _DIRS:
        found = sorted(base.rglob(name))
        if found:
            return found[0]
    raise MissingFont(
        f"font file {name} not found under /usr/share/fonts; install it with "
        "`apt-get install fonts-dejavu fonts-liberation fonts-noto-core fonts-ocr-b`"
    )


@lru_cache(maxsize=256)
def pil_font(family: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(family, bold)), size)


def runs(text: str) -> list[tuple[str, bool]]:
    """Split `text` into (run, is_arabic) pieces in logical order; lines are laid out left to right."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for match in _ARABIC_RUN.finditer(text):
        if match.start() > pos:
            out.append((text[pos : match.start()], False))
        out.append((match.group(0), True))
        pos = match.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def run_font(family: str, size: int, bold: bool, arabic: bool) -> ImageFont.FreeTypeFont:
    if arabic:
        return pil_font("arabic-sans" if "sans" in family else "arabic", size, bold)
    return pil_font(family, size, bold)


def text_width(text: str, family: str, size: int, bold: bool = False) -> float:
    return sum(run_font(family, size, bold, arabic).getlength(run) for run, arabic in runs(text))
