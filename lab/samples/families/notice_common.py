"""What the notice families share: the facts of one decision (who decides, for whom, from when to when, how
much) and a letter page with an address window. Wording, arrangement and labels are each family's own."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ..fonts import text_width
from ..names import Person, german_address, german_official, make_person, random_date
from .common import Page


@dataclass(frozen=True)
class Decision:
    recipient: Person
    street: str
    postcode: str
    town: str
    date: dt.date
    start: dt.date
    end: dt.date
    parts: tuple[tuple[str, Decimal], ...]
    clerk: str

    @property
    def total(self) -> Decimal:
        return sum((a for _, a in self.parts), Decimal("0"))


def decision(rng: random.Random, parts: list[tuple[str, Decimal]]) -> Decision:
    recipient = make_person(rng)
    street, postcode, town = german_address(rng)
    day = random_date(rng, dt.date(2023, 1, 1), dt.date(2026, 10, 31))
    start = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    months = rng.choice((3, 6, 6, 12))
    end_month = start.month - 1 + months
    end = dt.date(start.year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
    return Decision(recipient, street, postcode, town, day, start, end, tuple(parts), german_official(rng))


def euro(amount: Decimal, style: int = 0) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return (f"{grouped},{cents} €", f"{grouped},{cents} EUR", f"EUR {grouped},{cents}", f"{grouped},{cents} Euro")[
        style
    ]


def window(page: Page, d: Decision, sender: str, x: float = 240, y: float = 620) -> None:
    page.text(x, y, sender, 24)
    page.line(x, y + 10, x + text_width(sender, page.family, 24), y + 10, width=2)
    title = "Frau" if d.recipient.sex == "F" else "Herrn"
    for i, line in enumerate((title, d.recipient.latin_name, d.street, f"{d.postcode} {d.town}")):
        page.text(x, y + 80 + 56 * i, line, 42)


def paragraph(page: Page, text: str, x: float = 240, width: float = 2000, size: int = 38) -> None:
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and text_width(trial, page.family, size) > width:
            page.text(x, page.y, line, size)
            page.y += size * 1.5
            line = word
        else:
            line = trial
    if line:
        page.text(x, page.y, line, size)
        page.y += size * 1.5
    page.y += size * 0.6


def truth(authority: str, file_number: str, d: Decision, subject: str) -> dict[str, Any]:
    return {
        "authority": authority,
        "file_number": file_number,
        "notice_date": d.date.isoformat(),
        "recipient_name": d.recipient.latin_name,
        "subject": subject,
        "period_start": d.start.isoformat(),
        "period_end": d.end.isoformat(),
        "amount_eur": f"{d.total:.2f}",
    }
