"""Layouts: place the lines of a `DocumentContent` on pages as drawing operations.

Both the raster renderer and the PDF writer draw the same operations, so a born-digital PDF and a scan
of the same document agree in positions. Units are pixels at 300 dpi; A4 is 2480 x 3508.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .fonts import LATIN_FAMILIES, text_width
from .model import DocumentContent, TextLine

A4 = (2480, 3508)


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: int
    family: str
    bold: bool = False
    align: str = "l"  # l, r, m
    color: tuple[int, int, int] = (20, 20, 20)


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, line, photo, signature, stamp, qr, guilloche
    box: tuple[float, float, float, float]
    color: tuple[int, int, int] = (20, 20, 20)
    width: int = 3
    fill: tuple[int, int, int] | None = None
    text: str = ""  # stamp legend, QR payload
    seed: int = 0  # signature and photo shapes


@dataclass
class PageLayout:
    width: int
    height: int
    ops: list[Text | Shape] = field(default_factory=list)
    background: tuple[int, int, int] = (255, 255, 255)
    raster_only: bool = False  # identity documents are only ever scanned, never born-digital
    scan_only: bool = False  # an A4 page that exists only on paper (a handwritten note)


def wrap(text: str, family: str, size: int, width: float, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width` (words kept whole)."""
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and text_width(trial, family, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def letter(content: DocumentContent, rng: random.Random) -> list[PageLayout]:
    family = rng.choice(LATIN_FAMILIES)
    left = rng.randint(200, 260)
    right = A4[0] - rng.randint(170, 230)
    body_size = rng.choice((36, 38, 40))
    head_right = rng.random() < 0.5
    meta_x = rng.randint(1480, 1620)
    # DIN 5008 "Bezugszeichenzeile": references in a row of labelled columns under the address
    meta_row = rng.random() < 0.3
    crest = rng.choice([None, (30, 110, 60), (30, 70, 140), (150, 30, 40)])
    pages: list[PageLayout] = []
    for page_lines in content.pages:
        page = PageLayout(*A4)
        y_head, y_addr, y_meta, y = 260.0, 560.0, 560.0, 260.0
        in_letter = any(line.role == "address" for line in page_lines)
        if in_letter and crest is not None:
            page.ops.extend(_crest(left if head_right else right - 150, 150, crest))
        if in_letter and meta_row:
            y_meta = _meta_row(page, [line.text for line in page_lines if line.role == "meta"], family, left, right)
        for line in page_lines:
            role = line.role
            if in_letter and role not in ("letterhead", "sender", "address", "meta", "footer"):
                y = max(y, y_addr + 150, y_meta + 120)
            if role == "letterhead":
                size = 62 if y_head == 260.0 else 40
                x = right if head_right else left
                page.ops.append(
                    Text(x, y_head, line.text, size, family, bold=size == 62, align="r" if head_right else "l")
                )
                y_head += size * 1.5
                if not in_letter:
                    y = max(y, y_head + 80)
            elif role == "sender":
                page.ops.append(Text(left, y_addr, line.text, 24, family))
                page.ops.append(
                    Shape(
                        "line",
                        (left, y_addr + 10, left + text_width(line.text, family, 24), y_addr + 10),
                        width=2,
                    )
                )
                y_addr += 70
            elif role == "address":
                page.ops.append(Text(left, y_addr, line.text, 42, family))
                y_addr += 56
            elif role == "meta":
                if not meta_row:
                    page.ops.append(Text(meta_x, y_meta, line.text, 34, family))
                    y_meta += 50
            elif role in ("heading", "title", "subtitle"):
                y += 30
                for part in wrap(line.text, family, 42, right - left, bold=True):
                    page.ops.append(
                        Text(left, y, part, 42 if role != "subtitle" else 36, family, bold=role != "subtitle")
                    )
                    y += 60
                y += 20
            elif role == "table":
                cells = [c.strip() for c in line.text.split("|")]
                page.ops.append(Text(left + 60, y, cells[0], body_size, family))
                if len(cells) == 3:
                    page.ops.append(Text(left + 1050, y, cells[1], body_size, family))
                page.ops.append(
                    Text(
                        right - 60,
                        y,
                        cells[-1],
                        body_size,
                        family,
                        bold=cells[0].startswith("Gesamt"),
                        align="r",
                    )
                )
                page.ops.append(Shape("line", (left + 60, y + 14, right - 60, y + 14), color=(150, 150, 150), width=1))
                y += body_size * 1.6
            elif role == "signature":
                if "Auftrag" not in line.text and line.text not in ("Siegel", "М.П."):
                    page.ops.append(
                        Shape(
                            "signature",
                            (left, y - 30, left + 420, y + 90),
                            color=(25, 40, 120),
                            seed=rng.getrandbits(32),
                        )
                    )
                    y += 120
                page.ops.append(Text(left, y, line.text, body_size, family))
                y += body_size * 1.5
            elif role == "stamp":
                page.ops.append(
                    Shape(
                        "stamp",
                        (right - 560, y - 100, right - 160, y + 300),
                        color=(40, 60, 160),
                        text=line.text,
                    )
                )
            elif role == "footer":
                continue
            else:
                for part in wrap(line.text, family, body_size, right - left):
                    page.ops.append(Text(left, y, part, body_size, family))
                    y += body_size * 1.4
                y += body_size * 0.6
        footers = [line for line in page_lines if line.role == "footer"]
        fy = A4[1] - 150 - 50 * (len(footers) - 1)
        for line in footers:
            small = len(line.text) > 30
            page.ops.append(
                Text(
                    A4[0] / 2 if small else right,
                    fy,
                    line.text,
                    24 if small else 32,
                    family,
                    align="m" if small else "r",
                )
            )
            fy += 50
        pages.append(page)
    return pages


def _crest(x: float, y: float, color: tuple[int, int, int]) -> list[Text | Shape]:
    """A simple coat of arms: a coloured shield with a pale band, beside the letterhead."""
    pale = (min(255, color[0] + 150), min(255, color[1] + 150), min(255, color[2] + 150))
    return [
        Shape("rect", (x, y, x + 150, y + 180), color=color, width=4, fill=color),
        Shape("rect", (x + 20, y + 70, x + 130, y + 110), color=pale, width=0, fill=pale),
    ]


def _meta_row(page: PageLayout, texts: list[str], family: str, left: float, right: float) -> float:
    """Lay the reference lines out as labelled columns; returns the y below the row."""
    y = 1130.0
    width = (right - left) / max(len(texts), 1)
    for i, text in enumerate(texts):
        label, sep, value = text.partition(": ")
        if not sep:
            label, value = ("Datum", text) if any(c.isdigit() for c in text[:3]) or "," in text else ("", text)
        x = left + i * width
        size = 30
        while text_width(value, family, size) > width - 20 and size > 20:
            size -= 1
        page.ops.append(Text(x, y, label.rstrip(":"), 22, family, color=(90, 90, 90)))
        page.ops.append(Text(x, y + 45, value, size, family))
    return y + 60


def certificate(content: DocumentContent, rng: random.Random) -> list[PageLayout]:
    family = rng.choice(LATIN_FAMILIES)
    background = rng.choice([(255, 255, 255), (252, 249, 238), (246, 249, 252)])
    decoration: list[Text | Shape] = []
    if rng.random() < 0.6:
        inset = rng.randint(90, 150)
        decoration.append(
            Shape(
                "rect",
                (inset, inset, A4[0] - inset, A4[1] - inset),
                color=rng.choice([(120, 90, 40), (40, 70, 120), (60, 60, 60)]),
                width=rng.choice((6, 10, 14)),
            )
        )
    if rng.random() < 0.4:  # security print on the certificate paper (scans only; see pdf.py)
        pale = (background[0] - 22, background[1] - 18, background[2] - 10)
        decoration.append(Shape("guilloche", (0, 0, A4[0], A4[1]), color=pale, seed=rng.getrandbits(32)))
    side_by_side = rng.random() < 0.5
    left = rng.randint(260, 340)
    value_x = left + rng.randint(780, 900)
    stamp_x = rng.randint(1300, 1700)
    seed = rng.getrandbits(32)
    pages = []
    for lines in content.pages:  # a certificate's pages share paper, frame and layout
        page = PageLayout(*A4, background=background)
        page.ops.extend(decoration)
        scale = min(1.25, 46 / max(len(lines), 1))
        # shrink until everything (stamp and signature included) fits above the bottom margin
        for _ in range(8):
            ops, bottom = _certificate_ops(lines, family, scale, side_by_side, left, value_x, stamp_x, seed)
            if bottom <= A4[1] - 200:
                break
            scale *= 0.88
        page.ops.extend(ops)
        pages.append(page)
    return pages


def _certificate_ops(
    lines: list[TextLine],
    family: str,
    scale: float,
    side_by_side: bool,
    left: int,
    value_x: int,
    stamp_x: int,
    seed: int,
) -> tuple[list[Text | Shape], float]:
    """The certificate's lines laid out at `scale`; returns the operations and the lowest y used."""
    out: list[Text | Shape] = []
    label_size, value_size = int(34 * scale + 6), int(44 * scale + 6)
    step = 60 * scale + 18
    y = 330.0
    rtl = False  # Arabic and Persian blocks are set right to left: labels on the right, values mirrored
    for line in lines:
        role = line.role
        if role == "title":
            rtl = line.script == "arabic"
        if role == "letterhead":
            out.append(Text(A4[0] / 2, y, line.text, 46, family, bold=True, align="m"))
            y += 80
        elif role in ("title", "subtitle"):
            y += 40 * scale
            size = int((70 if role == "title" else 40) * max(scale, 0.7))
            for part in wrap(line.text, family, size, A4[0] - 2 * left, bold=role == "title"):
                out.append(Text(A4[0] / 2, y + size, part, size, family, bold=role == "title", align="m"))
                y += size * 1.35
            y += 40 * scale
        elif role == "label":
            lx, align = (A4[0] - left, "r") if rtl else (left, "l")
            out.append(Text(lx, y + label_size, line.text, label_size, family, color=(90, 90, 90), align=align))
            if not side_by_side:
                y += label_size * 1.25
        elif role == "value":
            x = value_x if side_by_side else left + 40
            parts = wrap(line.text, family, value_size, A4[0] - left - x, bold=True)
            if rtl:
                x = A4[0] - x
            for i, part in enumerate(parts):
                out.append(Text(x, y + value_size, part, value_size, family, bold=True, align="r" if rtl else "l"))
                if i < len(parts) - 1:
                    y += value_size * 1.25
            y += step + (value_size * 0.3 if not side_by_side else 0)
        elif role == "stamp":
            cx, cy = stamp_x, y + 260
            out.append(Shape("stamp", (cx - 210, cy - 210, cx + 210, cy + 210), color=(40, 60, 170), text=line.text))
            out.append(
                Shape(
                    "signature",
                    (left + 80, cy - 60, left + 600, cy + 80),
                    color=(20, 30, 110),
                    seed=seed,
                )
            )
            y = cy + 260
        elif role == "signature":
            out.append(Text(left + 80, y, line.text, 34, family))
            y += 60
        elif role == "footer":  # page number at the foot, right
            out.append(Text(A4[0] - left, A4[1] - 230, line.text, 32, family, align="r"))
        elif role == "table":  # a grade row: subject left, grade right, a rule below
            cells = [c.strip() for c in line.text.split("|")]
            y += value_size
            out.append(Text(left, y, cells[0], value_size - 8, family))
            out.append(Text(A4[0] - left, y, cells[-1], value_size - 8, family, align="r"))
            out.append(Shape("line", (left, y + 14, A4[0] - left, y + 14), color=(150, 150, 150), width=1))
            y += value_size * 0.6
        else:
            for part in wrap(line.text, family, value_size - 8, A4[0] - 2 * left):
                out.append(Text(left, y + value_size, part, value_size - 8, family))
                y += (value_size - 8) * 1.4
            y += 20
    return out, y


def _pairs(lines: list[TextLine]) -> list[tuple[str, str]]:
    out, label = [], None
    for line in lines:
        if line.role == "label":
            label = line.text
        elif line.role == "value" and label is not None:
            out.append((label, line.text))
            label = None
    return out


def identity(content: DocumentContent, rng: random.Random) -> list[PageLayout]:
    """A passport data page, an ID card / eAT, or a visa sticker, as its own small page."""
    lines = content.pages[0]
    # ID-3 (passport page), ID-1 (card), ID-2 (temporary ID card, TD2), visa sticker; pixels at 300 dpi
    size = {"passport": (1476, 1039), "card": (1011, 638), "card-td2": (1240, 874), "visa": (1417, 945)}
    w, h = size[content.layout]
    small = content.layout == "card"
    tint = rng.choice([(236, 240, 246), (240, 236, 244), (238, 244, 236), (246, 240, 230)])
    page = PageLayout(w, h, background=tint, raster_only=True)
    family = rng.choice(("dejavu-sans", "liberation-sans", "noto-sans"))
    pale = tuple(max(0, c - rng.randint(14, 26)) for c in tint)
    page.ops.append(Shape("guilloche", (0, 0, w, h), color=(pale[0], pale[1], pale[2]), seed=rng.getrandbits(32)))
    page.ops.append(Shape("rect", (4, 4, w - 4, h - 4), color=(150, 150, 160), width=3))
    mrz_lines = [line.text for line in lines if line.role == "mrz"]
    heads = [line.text for line in lines if line.role in ("letterhead", "title")]
    y = 50.0
    for text in heads:
        hs = 26 if small else 34
        page.ops.append(Text(w / 2, y, text, hs, family, bold=True, align="m"))
        y += hs * 1.3
    photo_w = int(w * 0.27)
    top = y + 10
    mrz_h = (len(mrz_lines) * (h * 0.085 if not small else h * 0.095)) + 40
    if content.layout != "visa":
        page.ops.append(
            Shape(
                "photo",
                (40, top, 40 + photo_w, min(top + photo_w * 1.3, h - mrz_h - 20)),
                seed=rng.getrandbits(32),
            )
        )
    x0 = 40 + photo_w + 40 if content.layout != "visa" else 50
    pairs = _pairs(lines)
    avail = h - mrz_h - top - 10
    cols = 2 if (content.layout == "visa" or len(pairs) > 9) else 1
    per_col = -(-len(pairs) // cols)
    row_h = avail / per_col
    lsize, vsize = max(12, int(row_h * 0.28)), max(16, int(row_h * 0.42))
    col_w = (w - x0 - 30) / cols
    for i, (label, value) in enumerate(pairs):
        col, row = divmod(i, per_col)
        x, yy = x0 + col * col_w, top + row * row_h
        while text_width(label, family, lsize) > col_w - 10 and lsize > 10:
            lsize -= 1
        page.ops.append(Text(x, yy + lsize, label, lsize, family, color=(80, 80, 110)))
        vs = vsize
        while text_width(value, family, vs, True) > col_w - 10 and vs > 12:
            vs -= 1
        page.ops.append(Text(x, yy + lsize + vs + 4, value, vs, family, bold=True))
    # MRZ: OCR-B sized so the longest line fills the zone like the real 2.54 mm character pitch
    chars = max(len(m) for m in mrz_lines)
    msize = 100
    while text_width("<" * chars, "ocrb", msize) > w - 80:
        msize -= 2
    my = h - mrz_h + 30
    if content.layout != "card":
        page.ops.append(Shape("rect", (0, my - 20, w, h), color=(255, 255, 255), fill=(250, 250, 250), width=0))
    for m in mrz_lines:
        my += msize * 1.15
        page.ops.append(Text(40, my, m, msize, "ocrb", color=(10, 10, 10)))
    return [page]


HAND_FAMILIES = ("hand-serif", "hand-sans")


def handwritten(content: DocumentContent, rng: random.Random) -> list[PageLayout]:
    """A note written by hand on ruled paper: slanted type in ballpoint blue, every word a little off the
    line and of its own size, lines drifting. Only ever scanned (there is no born-digital handwriting)."""
    page = PageLayout(*A4, background=(250, 250, 244), scan_only=True)
    for k in range(22):  # the ruling of a writing pad
        rule = 420 + k * 120
        page.ops.append(Shape("line", (140, rule, A4[0] - 140, rule), color=(190, 205, 225), width=2))
    family = rng.choice(HAND_FAMILIES)
    ink = rng.choice([(25, 40, 130), (20, 20, 60), (30, 60, 150)])
    size = rng.randint(64, 80)
    y, slope = 420.0 - 10, rng.uniform(-0.02, 0.02)
    for line in content.pages[0]:
        x = float(rng.randint(200, 320))
        for word in line.text.split():
            jitter = rng.uniform(-6, 6) + slope * x
            word_size = size + rng.randint(-5, 5)
            page.ops.append(Text(x, y + jitter, word, word_size, family, color=ink))
            x += text_width(word, family, word_size) + rng.randint(22, 40)
        y += 240 if rng.random() < 0.3 else 120
    return [page]


def layout(content: DocumentContent, rng: random.Random) -> list[PageLayout]:
    if content.layout == "note":
        return handwritten(content, rng)
    if content.layout == "letter":
        return letter(content, rng)
    if content.layout == "certificate":
        return certificate(content, rng)
    return identity(content, rng)
