"""Layout families (issue 17): every family writes truth for its group, runs are reproducible, tuning and
reported families are apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from lab.samples.families import FAMILIES, REPORTED, TUNE, generate_families
from schemas.documents import CERTIFICATE_FIELDS, NOTICE_FIELDS

GROUP_FIELDS = {
    "certificate": CERTIFICATE_FIELDS,
    "notice": NOTICE_FIELDS,
    "identity": ("surname", "given_names", "document_number", "birth_date", "mrz"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("families")
    generate_families(folder, count=len(FAMILIES), seed=4242)
    return folder


def test_enough_independent_families_and_none_both_tuned_and_reported() -> None:
    assert not set(REPORTED) & set(TUNE)
    for group, least in (("certificate", 6), ("notice", 6), ("identity", 3)):
        assert sum(f.group == group for f in FAMILIES.values()) >= least
    assert all(any(f.group == g for f in FAMILIES.values() if f.tune) for g in ("certificate", "notice", "identity"))


def test_every_family_writes_its_groups_fields(corpus: Path) -> None:
    seen = set()
    for truth_path in sorted(corpus.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        seen.add(truth["family"])
        doc = truth["documents"][0]
        for name in GROUP_FIELDS[truth["family_group"]]:
            assert doc["fields"].get(name), f"{truth['file']}: {name} empty"
        with Image.open(corpus / truth["file"]) as image:
            # full-size pages at 300 dpi; only the card-sized tuning family scans the card alone, and the booklet
            # family is a photograph of the open passport, as large as a phone's picture of it
            small = doc["extra"].get("card_size") or truth["family"] == "booklet"
            assert max(image.size) >= (1000 if small else 2400)
    assert seen == set(FAMILIES)


def test_long_names_keep_the_full_printed_name_beside_the_cut_mrz(corpus: Path) -> None:
    for truth_path in corpus.glob("*_long_names_*.truth.json"):
        doc = json.loads(truth_path.read_text(encoding="utf-8"))["documents"][0]
        assert doc["extra"]["mrz_surname"].replace(" ", "").isalpha()
        assert doc["fields"]["surname"] != doc["extra"]["mrz_surname"] or doc["fields"]["surname"].isascii()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = generate_families(tmp_path / "a", count=3, seed=77, families=["table_stacked", "closing"])
    b = generate_families(tmp_path / "b", count=3, seed=77, families=["table_stacked", "closing"])
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
