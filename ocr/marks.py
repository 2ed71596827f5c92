"""Marks above and below the capitals of a printed name, seen in its pixels where OCR dropped them.

Tesseract often reads a mark on a capital as no mark at all, and sure of it: `KILINC` (0.92) for `KILINÇ`,
`CAKIR` for `ÇAKIR`, `SULEYMAN` for `SÜLEYMAN`, even in the holder's language. The MRZ cannot tell either (it
spells Ç as C). The pixels can: a capital's mark is ink of its own above the letter (the dots of Ü, the breve
of Ğ, the dot of İ, an acute or a caron) or ink hanging below the baseline (the cedilla of Ç and Ş). So the
word's connected components are laid over its letters: letters standing on one baseline (one component each,
or a component as wide as a few letters parted evenly among them), and marks as small components just above
a letter's top or below the baseline, or a letter whose own ink reaches past the others (a mark joined to
it; of touching letters, the ink of the component in the letter's part: `TEVETOĞ` as one component, the
breve joined to its G).

A mark is put back only where the holder's alphabet writes that letter with one mark in that place
(`ONE_MARK`: in Turkish a mark above a G is a breve, Ğ; Czech E carries either an acute or a caron, so it is
left as read). Words that are not in capitals, or whose components do not add up to their letters, are left
as read: no mark can then be told to belong to one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Per state (ICAO 9303 codes), the letter a capital becomes with ink above it, and with ink below it, where
# its alphabet writes that capital with only one mark in that place.
ONE_MARK: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "TUR": ({"G": "Ğ", "I": "İ", "O": "Ö", "U": "Ü"}, {"C": "Ç", "S": "Ş"}),
    "CZE": ({"A": "Á", "C": "Č", "D": "Ď", "I": "Í", "N": "Ň", "O": "Ó", "R": "Ř", "S": "Š", "T": "Ť", "Y": "Ý",
             "Z": "Ž"}, {}),
    "SVK": ({"C": "Č", "I": "Í", "N": "Ň", "R": "Ŕ", "S": "Š", "Y": "Ý", "Z": "Ž"}, {}),
}  # fmt: skip
_BEYOND = 0.75  # of the capital height: how far above the capitals' top (below the baseline) a mark may reach
_GAP = 0.4  # of the capital height: the most paper between the capitals' top (baseline) and a mark
_OVERLAP = 0.1  # of the capital height: how far into the letters' band a mark of its own may reach
_ATTACHED = 0.14  # of the capital height: a letter reaching this far past the others carries its mark joined
_MARK_TALLEST = 0.5  # of the capital height: no taller than this is a mark (a letter of the line above is)
_MARK_SMALLEST = 0.015  # of the capital height squared: the least ink of a mark (specks of grain are less)
_HYPHENS = "-‐‑–"
_TRAILING = ",.;:"  # punctuation OCR may join to a name word: lower than a letter, it stands for none (a bracket
# or a quote mark stands as tall as one, and would be taken for a letter)
_LETTER = 0.7  # of the capital height: a component at least this high standing on the baseline is a letter


@dataclass(frozen=True, slots=True)
class _Blob:
    left: int
    top: int
    right: int
    bottom: int
    area: int
    label: int = 0  # of the component in the labels of the crop

    @property
    def height(self) -> int:
        return self.bottom - self.top


def _blobs(crop: np.ndarray) -> tuple[list[_Blob], np.ndarray]:
    """The crop's components of ink, and the crop's pixels labelled with them."""
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = [
        _Blob(int(x), int(y), int(x + w), int(y + h), int(area), k)
        for k, (x, y, w, h, area) in enumerate(stats[1:count], start=1)  # label 0 is the paper
    ]
    return blobs, labels


def marked(text: str, crop: np.ndarray, box: tuple[int, int, int, int], state: str) -> str:
    """`text` (a word in capitals, as OCR read it) with the marks put back that the pixels show and the
    alphabet of `state` writes (see the module docstring); `crop` holds the word with room above and below,
    `box` is the word's (left, top, right, bottom) in the crop."""
    return seen(text, crop, box, state) or text


def seen(text: str, crop: np.ndarray, box: tuple[int, int, int, int], state: str) -> str | None:
    """As `marked`, but None where the pixels cannot tell (a word not in capitals, components that do not add
    up to its letters): `text` back means the pixels show no mark OCR dropped on its letters."""
    above, below = ONE_MARK.get(state, ({}, {}))
    letters = [k for k, c in enumerate(text) if c.isalpha()]
    if not (above or below) or len(letters) < 2:
        return None
    # capitals (and a Turkish dotted i OCR read small: `ÇiĞDEM`), joined by hyphens, low punctuation at the
    # edges only (`NOVAKOVA,`)
    core = text[letters[0] : letters[-1] + 1]
    edges = text[: letters[0]] + text[letters[-1] + 1 :]
    plain = all(text[k].isupper() or text[k] == "i" for k in letters) and all(
        c.isalpha() or c in _HYPHENS for c in core
    )
    if not plain or any(c not in _TRAILING for c in edges):
        return None
    left, top, right, bottom = box
    blobs, labels = _blobs(crop)
    inside = [
        b for b in blobs if b.left >= left - 2 and b.right <= right + 2 and top <= (b.top + b.bottom) / 2 <= bottom
    ]
    if not inside:
        return None
    tallest = max(b.height for b in inside)
    # the letters stand on one baseline: the tall components, one a letter or a few touching
    standing = sorted((b for b in inside if b.height >= _LETTER * tallest), key=lambda b: b.left)
    columns = _columns(standing, len(letters), labels)
    if columns is None:
        return None
    baseline = float(np.median([b.bottom for b in columns]))
    cap_top = float(np.median([b.top for b in columns]))
    cap = baseline - cap_top
    out = list(text)
    for k, letter in zip(letters, columns, strict=True):
        char = text[k]
        # a mark joined to its letter: the letter's own ink reaches past the others
        if char in above and (letter.top <= cap_top - _ATTACHED * cap or _mark(letter, blobs, cap_top, -1, cap)):
            out[k] = above[char]
        elif char in below and (letter.bottom >= baseline + _ATTACHED * cap or _mark(letter, blobs, baseline, 1, cap)):
            out[k] = below[char]
    return "".join(out)


def _columns(standing: list[_Blob], letters: int, labels: np.ndarray) -> list[_Blob] | None:
    """Per letter, its part of the standing components: a component as wide as two letters holds two touching
    ones (`KI` of `ÇAKIR`), parted in equal widths, each part as high as the component's ink in it (a mark
    joined to one of them reaches past the others only there). None when the widths do not add up to the
    word's letters."""
    if not standing:
        return None
    if len(standing) == letters:
        return standing
    unit = sum(b.right - b.left for b in standing) / letters
    shares = [max(1, round((b.right - b.left) / unit)) for b in standing]
    if sum(shares) != letters:
        return None
    out: list[_Blob] = []
    for b, share in zip(standing, shares, strict=True):
        step = (b.right - b.left) / share
        for i in range(share):
            left, right = round(b.left + i * step), round(b.left + (i + 1) * step)
            rows = np.flatnonzero((labels[b.top : b.bottom, left:right] == b.label).any(axis=1))
            top, bottom = (b.top + int(rows[0]), b.top + int(rows[-1]) + 1) if rows.size else (b.top, b.bottom)
            out.append(_Blob(left, top, right, bottom, b.area, b.label))
    return out


def _mark(letter: _Blob, blobs: list[_Blob], edge: float, side: int, cap: float) -> bool:
    """Whether a mark of its own lies beside `letter` past `edge` (the capitals' top, `side` -1, or their
    baseline, `side` 1): small components centred over (or under) the letter, at most `_BEYOND` of a
    capital's height away from the edge and no more than `_GAP` clear of it, with `_MARK_SMALLEST` ink
    together (the two dots of Ü are two components)."""
    ink = 0
    for b in blobs:
        if b.height >= _LETTER * cap or b.area < 2 or not letter.left <= (b.left + b.right) / 2 <= letter.right:
            continue
        near, far = (b.bottom, b.top) if side < 0 else (b.top, b.bottom)
        gap = side * (near - edge)
        if gap < -_OVERLAP * cap or gap > _GAP * cap or side * (far - edge) > _BEYOND * cap:
            continue
        if b.height <= _MARK_TALLEST * cap:
            ink += b.area
    return ink >= _MARK_SMALLEST * cap * cap
