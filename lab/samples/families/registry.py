"""The registry of layout families: each family's builder, its group and whether it is a tuning family."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from lab.samples.families import (
    cert_attest,
    cert_below_words,
    cert_boxed_form,
    cert_diploma_east,
    cert_diploma_halves,
    cert_dotted_ru,
    cert_free_text,
    cert_grid,
    cert_interleaved,
    cert_landscape_tr,
    cert_pair_tab,
    cert_ruled_twin,
    cert_side_by_side,
    cert_stacked_below,
    cert_sworn_below,
    cert_table_stacked,
    cert_translation,
    cert_two_column,
    cert_words_east,
    identity_cut_names,
    identity_long_names,
    identity_name_lines,
    identity_photocopy,
    identity_tuning,
    identity_viz_forms,
    legacy,
    notice_change,
    notice_closing,
    notice_form,
    notice_household,
    notice_infoblock,
    notice_letterhead,
    notice_months,
    notice_refline,
)
from lab.samples.families.common import CERTIFICATE_TYPES, Built
from schemas.documents import DocumentType


@dataclass(frozen=True)
class Family:
    name: str
    group: str  # certificate, notice, identity
    types: tuple[DocumentType, ...]
    build: Callable[[random.Random, DocumentType], Built]
    tune: bool = False  # calibration may look at it; it is never reported


def _cardsize(rng: random.Random, doc_type: DocumentType) -> Built:
    """Tuning family for identity documents: the original generator's documents scanned card-sized."""
    built = legacy.build_identity(rng, doc_type)
    built.extra["card_size"] = "1"
    return built


_CARDS = (DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)
_ALL = [
    Family("legacy_certificate", "certificate", CERTIFICATE_TYPES, legacy.build_certificate),
    Family(cert_table_stacked.NAME, "certificate", cert_table_stacked.TYPES, cert_table_stacked.build),
    Family(cert_free_text.NAME, "certificate", cert_free_text.TYPES, cert_free_text.build),
    Family(cert_below_words.NAME, "certificate", cert_below_words.TYPES, cert_below_words.build),
    Family(cert_landscape_tr.NAME, "certificate", cert_landscape_tr.TYPES, cert_landscape_tr.build),
    Family(cert_dotted_ru.NAME, "certificate", cert_dotted_ru.TYPES, cert_dotted_ru.build, tune=True),
    Family(cert_two_column.NAME, "certificate", cert_two_column.TYPES, cert_two_column.build, tune=True),
    Family(cert_translation.NAME, "certificate", cert_translation.TYPES, cert_translation.build, tune=True),
    Family(cert_grid.NAME, "certificate", cert_grid.TYPES, cert_grid.build, tune=True),
    Family(cert_side_by_side.NAME, "certificate", cert_side_by_side.TYPES, cert_side_by_side.build, tune=True),
    Family(cert_words_east.NAME, "certificate", cert_words_east.TYPES, cert_words_east.build, tune=True),
    Family(cert_attest.NAME, "certificate", cert_attest.TYPES, cert_attest.build, tune=True),
    Family(cert_diploma_east.NAME, "certificate", cert_diploma_east.TYPES, cert_diploma_east.build, tune=True),
    Family(cert_boxed_form.NAME, "certificate", cert_boxed_form.TYPES, cert_boxed_form.build, tune=True),
    Family(cert_ruled_twin.NAME, "certificate", cert_ruled_twin.TYPES, cert_ruled_twin.build, tune=True),
    Family(cert_diploma_halves.NAME, "certificate", cert_diploma_halves.TYPES, cert_diploma_halves.build, tune=True),
    Family(cert_interleaved.NAME, "certificate", cert_interleaved.TYPES, cert_interleaved.build, tune=True),
    Family(cert_stacked_below.NAME, "certificate", cert_stacked_below.TYPES, cert_stacked_below.build, tune=True),
    Family(cert_sworn_below.NAME, "certificate", cert_sworn_below.TYPES, cert_sworn_below.build, tune=True),
    Family(cert_pair_tab.NAME, "certificate", cert_pair_tab.TYPES, cert_pair_tab.build, tune=True),
    Family("legacy_notice", "notice", (DocumentType.NOTICE,), legacy.build_notice),
    Family(notice_infoblock.NAME, "notice", notice_infoblock.TYPES, notice_infoblock.build),
    Family(notice_closing.NAME, "notice", notice_closing.TYPES, notice_closing.build),
    Family(notice_refline.NAME, "notice", notice_refline.TYPES, notice_refline.build),
    Family(notice_form.NAME, "notice", notice_form.TYPES, notice_form.build, tune=True),
    Family(notice_household.NAME, "notice", notice_household.TYPES, notice_household.build, tune=True),
    Family(notice_change.NAME, "notice", notice_change.TYPES, notice_change.build, tune=True),
    Family(notice_months.NAME, "notice", notice_months.TYPES, notice_months.build, tune=True),
    Family(notice_letterhead.NAME, "notice", notice_letterhead.TYPES, notice_letterhead.build, tune=True),
    Family("legacy_identity", "identity", legacy.IDENTITY_TYPES, legacy.build_identity),
    Family(identity_photocopy.NAME, "identity", identity_photocopy.TYPES, identity_photocopy.build),
    Family(identity_long_names.NAME, "identity", identity_long_names.TYPES, identity_long_names.build),
    Family("card_size", "identity", legacy.IDENTITY_TYPES, _cardsize, tune=True),
    Family("booklet", "identity", (DocumentType.PASSPORT,), identity_tuning.build_booklet, tune=True),
    Family("stamped", "identity", identity_tuning.IDENTITY, identity_tuning.build_stamped, tune=True),
    Family("diacritics", "identity", identity_tuning.IDENTITY, identity_tuning.build_diacritics, tune=True),
    Family("copy_sheet", "identity", _CARDS, identity_tuning.build_copy_sheet, tune=True),
    Family("duplex", "identity", _CARDS, identity_tuning.build_duplex, tune=True),
    Family(identity_viz_forms.NAME, "identity", identity_viz_forms.TYPES, identity_viz_forms.build, tune=True),
    Family(identity_name_lines.NAME, "identity", identity_name_lines.TYPES, identity_name_lines.build, tune=True),
    Family(identity_cut_names.NAME, "identity", identity_cut_names.TYPES, identity_cut_names.build, tune=True),
]
FAMILIES = {f.name: f for f in _ALL}
REPORTED = tuple(f.name for f in _ALL if not f.tune)
TUNE = tuple(f.name for f in _ALL if f.tune)
