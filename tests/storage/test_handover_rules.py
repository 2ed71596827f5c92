"""Every shipped hand-over rule, table-driven: which rules fire for a change, on the days around the dates
on which they start and end being law. Each case states the complete set of rules that must fire, so a
rule firing where it should not fails too."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from schemas.documents import DocumentType as T
from schemas.errors import ConfigError
from schemas.record import LegalArea as L
from storage.handover import Facts, HandoverRules, address_in, due_date, expiry_stage, issue_date_in, matches

RULES = HandoverRules.load()
P24 = "Aufenthaltserlaubnis nach § 24 AufenthG"
ADULT = date(1985, 3, 2)


def facts(**kw: object) -> Facts:
    base = Facts(event="document_filed", day=date(2024, 1, 10), status="filed", person_birth_date=ADULT)
    return replace(base, **kw)  # type: ignore[arg-type]


def permit(day: date, issued: date | None, areas: set[L], earlier: tuple[tuple[T, str], ...] = ()) -> Facts:
    return facts(
        document_type=T.RESIDENCE_PERMIT,
        day=day,
        text=P24,
        issue_date=issued,
        person_legal_areas=frozenset(areas),
        earlier_documents=earlier,
    )


TO_SGB2 = {"par24_asylblg_to_sgb2_social_welfare", "par24_asylblg_to_sgb2_jobcentre"}
TO_SGB2_CUTOFF = {"par24_asylblg_to_sgb2_social_welfare_until_cutoff", "par24_asylblg_to_sgb2_jobcentre_until_cutoff"}
TO_ASYLBLG = {"par24_first_after_cutoff_to_asylblg_social_welfare"}
TO_ASYLBLG_JC = TO_ASYLBLG | {"par24_first_after_cutoff_to_asylblg_jobcentre"}

CASES: list[tuple[str, Facts, set[str]]] = [
    # § 24 with an AsylbLG matter: from 2022-06-01 to SGB II
    ("day before the change to SGB II", permit(date(2022, 5, 31), date(2022, 5, 1), {L.ASYLBLG}), set()),
    ("first day of the change to SGB II", permit(date(2022, 6, 1), date(2022, 5, 1), {L.ASYLBLG}), TO_SGB2),
    ("day after the start", permit(date(2022, 6, 2), date(2022, 5, 1), {L.ASYLBLG}), TO_SGB2),
    ("last day of the old rule", permit(date(2026, 6, 30), date(2025, 6, 1), {L.ASYLBLG}), TO_SGB2),
    ("§ 24 without AsylbLG matter", permit(date(2024, 1, 10), date(2023, 1, 1), set()), set()),
    ("§ 24 notice", replace(permit(date(2024, 1, 10), None, {L.ASYLBLG}), document_type=T.NOTICE), TO_SGB2),
    ("not § 24", replace(permit(date(2024, 1, 10), None, {L.ASYLBLG}), text="§ 25 Abs. 2 AufenthG"), set()),
    (
        "§ 24 needing review: review first",
        replace(permit(date(2024, 1, 10), None, {L.ASYLBLG}), status="needs_review"),
        {"review_needed"},
    ),
    (
        "passport mentioning § 24",
        replace(permit(date(2024, 1, 10), None, {L.ASYLBLG}), document_type=T.PASSPORT),
        set(),
    ),
    # from 2026-07-01: early permits (issued up to 2025-03-31) still move to SGB II
    ("new law, permit issued on the cutoff", permit(date(2026, 7, 1), date(2025, 3, 31), {L.ASYLBLG}), TO_SGB2_CUTOFF),
    ("new law, day before it", permit(date(2026, 6, 30), date(2025, 3, 31), {L.ASYLBLG}), TO_SGB2),
    ("new law, no issue date printed", permit(date(2026, 7, 1), None, {L.ASYLBLG}), set()),
    # the reverse: a first § 24 permit issued after 2025-03-31 -> AsylbLG, from 2026-07-01
    ("reverse, day before the law", permit(date(2026, 6, 30), date(2025, 4, 1), set()), set()),
    ("reverse, first day", permit(date(2026, 7, 1), date(2025, 4, 1), set()), TO_ASYLBLG),
    ("reverse with SGB II matter", permit(date(2026, 7, 2), date(2025, 4, 1), {L.SGB_II}), TO_ASYLBLG_JC),
    (
        "reverse, not the first permit",
        permit(date(2026, 7, 1), date(2025, 4, 1), set(), earlier=((T.RESIDENCE_PERMIT, P24),)),
        set(),
    ),
    (
        "reverse, an earlier notice does not count as a permit",
        permit(date(2026, 7, 1), date(2025, 4, 1), set(), earlier=((T.PASSPORT, P24),)),
        TO_ASYLBLG,
    ),
    # children and young people
    (
        "minor without youth matter",
        facts(document_type=T.PASSPORT, person_birth_date=date(2010, 5, 1)),
        {"minor_without_youth_matter"},
    ),
    ("turns 18 that day", facts(document_type=T.PASSPORT, person_birth_date=date(2006, 1, 10)), set()),
    (
        "the day before turning 18",
        facts(document_type=T.PASSPORT, person_birth_date=date(2006, 1, 11)),
        {"minor_without_youth_matter"},
    ),
    (
        "minor with youth matter",
        facts(
            document_type=T.PASSPORT,
            person_birth_date=date(2010, 5, 1),
            person_legal_areas=frozenset({L.YOUTH_WELFARE}),
        ),
        set(),
    ),
    (
        "child's birth certificate, youth matter",
        facts(
            document_type=T.BIRTH_CERTIFICATE,
            person_birth_date=date(2023, 5, 1),
            person_legal_areas=frozenset({L.YOUTH_WELFARE}),
        ),
        {"child_birth_certificate"},
    ),
    (
        "child's birth certificate, no youth matter yet",
        facts(document_type=T.BIRTH_CERTIFICATE, person_birth_date=date(2023, 5, 1)),
        {"minor_without_youth_matter"},
    ),
    ("adult's birth certificate", facts(document_type=T.BIRTH_CERTIFICATE), set()),
    ("birth date unknown", facts(document_type=T.BIRTH_CERTIFICATE, person_birth_date=None), set()),
    # qualifications
    ("school certificate", facts(document_type=T.SCHOOL_CERTIFICATE), {"qualification_recognition"}),
    ("degree certificate", facts(document_type=T.DEGREE_CERTIFICATE), {"qualification_recognition"}),
    ("marriage certificate", facts(document_type=T.MARRIAGE_CERTIFICATE), set()),
    # change of residence
    (
        "registration certificate, new address",
        facts(document_type=T.REGISTRATION_CERTIFICATE, address="a, 1", earlier_addresses=frozenset({"b, 2"})),
        {"change_of_address"},
    ),
    (
        "registration certificate, same address",
        facts(document_type=T.REGISTRATION_CERTIFICATE, address="a, 1", earlier_addresses=frozenset({"a, 1"})),
        set(),
    ),
    ("registration certificate, no address read", facts(document_type=T.REGISTRATION_CERTIFICATE), set()),
    # review queue
    ("needs review", facts(document_type=T.NOTICE, status="needs_review"), {"review_needed"}),
    (
        "needs review after a page move",
        facts(event="document_moved", document_type=T.OTHER, status="needs_review"),
        {"review_needed"},
    ),
    ("filed, no review", facts(document_type=T.NOTICE), set()),
    # expiry (the daily check)
    ("90 days", facts(event="expiry", document_type=T.PASSPORT, expiry_days_before=90), {"expiry_90_days"}),
    ("30 days", facts(event="expiry", document_type=T.RESIDENCE_PERMIT, expiry_days_before=30), {"expiry_30_days"}),
    ("expired", facts(event="expiry", document_type=T.ID_CARD, expiry_days_before=0), {"expired_document"}),
    ("expiry of a certificate", facts(event="expiry", document_type=T.NOTICE, expiry_days_before=90), set()),
]


@pytest.mark.parametrize(("name", "case", "expected"), CASES, ids=[c[0] for c in CASES])
def test_which_rules_fire(name: str, case: Facts, expected: set[str]) -> None:
    assert {r.id for r in RULES.rules if matches(r, case)} == expected


def test_every_shipped_rule_is_covered_by_a_case() -> None:
    fired = {r.id for _, case, _ in CASES for r in RULES.rules if matches(r, case)}
    assert fired == {r.id for r in RULES.rules}


@pytest.mark.parametrize(
    ("day", "expiry", "stage"),
    [
        (date(2026, 1, 1), date(2026, 4, 2), None),  # 91 days ahead: not yet
        (date(2026, 1, 1), date(2026, 4, 1), 90),  # exactly 90 days
        (date(2026, 3, 2), date(2026, 3, 31), 30),  # 29 days: the 30-day follow-up
        (date(2026, 3, 1), date(2026, 3, 31), 30),  # exactly 30 days
        (date(2026, 3, 31), date(2026, 3, 31), 30),  # the last valid day: not expired yet
        (date(2026, 4, 1), date(2026, 3, 31), 0),  # expired
    ],
)
def test_expiry_stage(day: date, expiry: date, stage: int | None) -> None:
    assert expiry_stage(RULES.expiry_thresholds(), expiry, day) == stage


def test_due_dates() -> None:
    by_id = {r.id: r for r in RULES.rules}
    assert due_date(by_id["par24_asylblg_to_sgb2_social_welfare"], date(2024, 2, 10)) == date(2024, 2, 29)
    assert due_date(by_id["par24_asylblg_to_sgb2_social_welfare"], date(2024, 12, 31)) == date(2024, 12, 31)
    assert due_date(by_id["par24_asylblg_to_sgb2_jobcentre"], date(2024, 2, 10)) == date(2024, 2, 24)
    assert due_date(by_id["expiry_90_days"], date(2026, 1, 5), expiry=date(2026, 3, 31)) == date(2026, 1, 5)
    assert due_date(by_id["expiry_30_days"], date(2026, 1, 5), expiry=date(2026, 3, 31)) == date(2026, 3, 1)
    assert due_date(by_id["child_birth_certificate"], date(2026, 1, 5)) is None


def test_dates_and_addresses_are_read_from_text() -> None:
    assert issue_date_in("Aufenthaltserlaubnis ausgestellt am 15.05.2024 in X") == date(2024, 5, 15)
    assert issue_date_in("Ausstellungsdatum: 2025-04-02") == date(2025, 4, 2)
    assert issue_date_in("gültig bis 15.05.2024") is None
    assert address_in("wohnhaft Hauptstraße 5, 12345 Musterstadt") == "hauptstr 5, 12345 musterstadt"
    assert address_in("Hauptstr. 5 12345 Musterstadt") == "hauptstr 5, 12345 musterstadt"
    assert (
        address_in("MELDEBESCHEINIGUNG Berliner Straße 12a 12345 Musterstadt") == "berliner str 12a, 12345 musterstadt"
    )
    assert address_in("keine Anschrift") is None


@pytest.mark.parametrize(
    ("mistake", "text"),
    [
        (
            "unknown key",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, action: zur_kenntnis, "
            "departments: [jobcentre], trigger: {events: [document_filed]}, colour: red}",
        ),
        (
            "unknown department",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, "
            "action: zur_kenntnis, departments: [jobcenter], trigger: {events: [document_filed]}}",
        ),
        (
            "unknown event",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, "
            "action: zur_kenntnis, departments: [jobcentre], trigger: {events: [document_filled]}}",
        ),
        (
            "ends before it starts",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, "
            "valid_until: 2019-01-01, action: zur_kenntnis, departments: [jobcentre], "
            "trigger: {events: [document_filed]}}",
        ),
        (
            "bad regex",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, action: zur_kenntnis, "
            "departments: [jobcentre], trigger: {events: [document_filed], text_matches: ['(']}}",
        ),
        (
            "no department",
            "version: 1\nrules:\n- {id: abc, title: abc, valid_from: 2020-01-01, "
            "action: zur_kenntnis, trigger: {events: [document_filed]}}",
        ),
    ],
)
def test_a_typo_stops_start_up(tmp_path: Path, mistake: str, text: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        HandoverRules.load(path)
