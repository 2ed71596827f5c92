"""What reading a page cost: tesseract runs, full passes and CPU seconds, by the kind of page it turned out to be.

CPU seconds rather than wall time, because dach runs beside other work: a tesseract child's own CPU time
(from the gateway, `ocr.tesseract`) hardly changes with the machine's load, its wall time does. The kinds are
what the reader saw, not what the classifier later decides: identity documents by their zone (a passport's
TD3, a card's TD1/TD2, a card lying on a larger scanned sheet), other pages by the script they were read in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from schemas.documents import PageText, TextSource

if TYPE_CHECKING:
    from ocr.tesseract import Ledger

log = logging.getLogger(__name__)

KINDS = (
    "Latin text",
    "Cyrillic text",
    "Arabic text",
    "passport",
    "card",
    "card on A4",
    "blank",
    "separator",
    "text layer",
)
# A card photographed or scanned alone fills its image; on a flatbed A4 scan its zone spans less than half
# the page's width (a TD1 zone is 80 mm of the sheet's 210 mm).
CARD_ON_SHEET_ZONE_WIDTH = 0.6


@dataclass(frozen=True, slots=True)
class PageCost:
    """What one page cost to read."""

    kind: str
    runs: int = 0  # tesseract runs of any kind
    full_passes: int = 0  # of which full passes over the page
    tesseract_cpu_s: float = 0.0  # CPU seconds of those tesseract processes
    python_cpu_s: float = 0.0  # CPU seconds of the reading thread itself (decoding, OpenCV, the MRZ cell classifier)
    purposes: tuple[str, ...] = ()  # what every run was for, in order
    turned: int = 0  # clockwise degrees the page was turned to be read (scanned sideways or upside down)

    @property
    def cpu_s(self) -> float:
        return self.tesseract_cpu_s + self.python_cpu_s

    def spent(self, ledger: Ledger, python_cpu_s: float) -> PageCost:
        """This cost with the tesseract runs of `ledger` and `python_cpu_s` of the reading thread added (a page's
        first reading, and a second look at it later: a card's front read again with its back's zone)."""
        return replace(
            self,
            runs=self.runs + len(ledger.runs),
            full_passes=self.full_passes + ledger.full_passes,
            tesseract_cpu_s=round(self.tesseract_cpu_s + ledger.cpu_s, 3),
            python_cpu_s=round(self.python_cpu_s + python_cpu_s, 3),
            purposes=(*self.purposes, *(run.purpose for run in ledger.runs)),
        )


def page_kind(text: PageText) -> str:
    """The kind of page `text` was, as far as reading it tells."""
    if text.source != TextSource.OCR:
        return "text layer"
    if text.separator:
        return "separator"
    if text.mrz is not None:
        if max((len(line) for line in text.mrz.lines), default=0) >= 40:  # TD3: two lines of 44
            return "passport"
        box = text.mrz.bbox
        return "card on A4" if box is not None and box.x1 - box.x0 < CARD_ON_SHEET_ZONE_WIDTH else "card"
    if text.blank:
        return "blank"
    if text.languages.startswith("ukr") or "rus" in text.languages.split("+")[:1]:
        return "Cyrillic text"
    if text.languages.split("+")[:1] in (["ara"], ["fas"]):
        return "Arabic text"
    return "Latin text"


def summary(costs: Iterable[PageCost]) -> list[str]:
    """One line per kind of page: pages, tesseract runs and full passes per page, CPU seconds per page; then
    the pages of any kind that were turned to be read (scanned at 90, 180 or 270 degrees), and all pages."""
    by_kind: dict[str, list[PageCost]] = defaultdict(list)
    turned: list[PageCost] = []
    for cost in costs:
        by_kind[cost.kind].append(cost)
        if cost.turned:
            turned.append(cost)
    lines = [f"{'page kind':14} {'pages':>5} {'runs/page':>9} {'max full':>8} {'tess CPU-s':>10} {'all CPU-s':>9}"]
    everything: list[PageCost] = []
    for kind in sorted(by_kind, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS)):
        group = by_kind[kind]
        everything += group
        lines.append(_line(kind, group))
    if turned:
        lines.append(_line("turned", turned))
    if everything:
        lines.append(_line("all", everything))
    return lines


def _line(name: str, group: list[PageCost]) -> str:
    n = len(group)
    return (
        f"{name:14} {n:5d} {sum(c.runs for c in group) / n:9.2f} {max(c.full_passes for c in group):8d} "
        f"{sum(c.tesseract_cpu_s for c in group) / n:10.2f} {sum(c.cpu_s for c in group) / n:9.2f}"
    )
