"""The review screen's view of an identity document's two zones: where each field was read, and what the
cross-check found, in German on the field it concerns.

The classifiers record, per field, its characters in the machine-readable zone and the value the visual
zone prints for it, each with its box (`DocumentView.readings`); the cross-check names the fields the visual
zone contradicts (`viz_mismatches`) and the MRZ check digits say which fields hold (`mrz_checks`). Here they
become boxes to draw over the page image (blue MRZ, green visual zone, red where it contradicts) and short
German lines under each field, so a clerk checks a passport at a glance instead of reading a list of notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.documents import BBox, FieldValue, TextSource
from schemas.record import DocumentView
from schemas.strings_de import T, label

NAME_FIELDS = ("surname", "given_names")
# the fields a clerk compares with the printed page: "not read in the visual zone" is said of these only
COMPARED = (*NAME_FIELDS, "document_number", "birth_date", "expiry_date")


@dataclass(frozen=True)
class ZoneBox:
    id: str
    name: str
    zone: str  # "mrz" or "viz"
    page: int
    bbox: BBox
    title: str
    contradicted: bool = False


@dataclass(frozen=True)
class Finding:
    kind: str  # "ok", "warn" or "info": how the line is marked
    text: str


@dataclass
class FieldZones:
    boxes: list[ZoneBox] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def box_ids(self) -> str:
        return " ".join(box.id for box in self.boxes)


def _text(value: FieldValue) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value if value is not None else "")


def field_zones(view: DocumentView) -> dict[str, FieldZones]:
    """Per field of an identity document, its boxes in both zones and the findings to show beside it (empty
    for documents read without an MRZ)."""
    out: dict[str, FieldZones] = {}
    for name, places in view.readings.items():
        zones = out.setdefault(name, FieldZones())
        contradicted = name in view.viz_mismatches
        for place in places:
            if place.bbox is None or place.page is None:
                continue
            zone = "viz" if place.source is TextSource.VIZ else "mrz"
            text = _text(place.value)
            zones.boxes.append(
                ZoneBox(
                    id=f"box-{name}-{zone}",
                    name=name,
                    zone=zone,
                    page=place.page,
                    bbox=place.bbox,
                    title=T["zone.box_title"].format(field=label("field", name), zone=T[f"zone.{zone}"], text=text),
                    contradicted=contradicted and zone == "viz",
                )
            )
        zones.findings += _findings(view, name, contradicted)
    return out


def _findings(view: DocumentView, name: str, contradicted: bool) -> list[Finding]:
    places = view.readings.get(name, ())
    mrz = next((p for p in places if p.source is TextSource.MRZ), None)
    viz = next((p for p in places if p.source is TextSource.VIZ), None)
    found: list[Finding] = []
    if view.mrz_checks.get(name) is False:  # the check digits are named after the field they cover
        found.append(Finding("warn", T["zone.check_failed"]))
    if contradicted:
        key = "zone.viz_contradicts" if viz is not None else "zone.viz_contradicts_unlocated"
        found.append(Finding("warn", T[key].format(text=_text(viz.value) if viz else "")))
    elif viz is not None:
        found.append(Finding("ok", T["zone.viz_agrees"].format(text=_text(viz.value))))
    elif name in NAME_FIELDS:  # the classifier lowered its confidence: the MRZ form may have lost letters
        found.append(Finding("warn", T["zone.viz_unconfirmed"]))
    elif name in COMPARED:
        found.append(Finding("info", T["zone.viz_not_read"]))
    if mrz is not None and (contradicted or viz is None or _text(mrz.value) != _text(viz.value)):
        found.append(Finding("info", T["zone.read_mrz"].format(text=_text(mrz.value))))
    return found
