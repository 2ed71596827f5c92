"""Names from the visual zone confirmed by the MRZ (issue 17): diacritics kept, cut names completed."""

from __future__ import annotations

from classifiers.viz_names import full_name, name_field_full
from schemas.documents import BBox, Word


def words(*lines: str) -> list[Word]:
    out = []
    for line_no, line in enumerate(lines):
        x = 0.3
        for token in line.split():
            out.append(
                Word(
                    text=token,
                    bbox=BBox(x0=x, y0=0.1 * line_no, x1=x + 0.05, y1=0.1 * line_no + 0.04),
                    confidence=0.9,
                    line=line_no,
                )
            )
            x += 0.06
    return out


def test_turkish_and_german_diacritics() -> None:
    page = words("Soyadı / Surname", "ŞAHİN", "Adı / Given names", "ÇAĞRI", "MÜLLER-LÜDENSCHEIDT")
    surname = full_name(page, None, "SAHIN", truncated=False)
    assert surname is not None and surname.text == "ŞAHİN"
    given = full_name(page, None, "CAGRI", truncated=False)
    assert given is not None and given.text == "ÇAĞRI"
    german = full_name(page, None, "MUELLER LUEDENSCHEIDT", truncated=False)
    assert german is not None and german.text == "MÜLLER-LÜDENSCHEIDT"


def test_a_cut_name_is_completed_only_when_the_field_is_full() -> None:
    page = words("MUSTAFA KEMAL ÜMİT")
    assert full_name(page, None, "MUSTAFA KEMAL U", truncated=False) is None
    found = full_name(page, None, "MUSTAFA KEMAL U", truncated=True)
    assert found is not None and found.text == "MUSTAFA KEMAL ÜMİT"
    assert name_field_full(
        ["I<TUR1234567<8<<<<<<<<<<<<<<<", "9001011M3001012TUR<<<<<<<<<<<0", "KARAOSMANOGLU<<MUSTAFA<KEMAL<U"]
    )


def test_other_scripts_and_misreadings_are_not_taken() -> None:
    page = words("ШЕВЧЕНКО", "SHEVCHENK0", "SHAHIN")
    assert full_name(page, None, "SHEVCHENKO", truncated=False) is None  # Cyrillic is original_script_name
    assert full_name(page, None, "SAHIN", truncated=False) is None


def test_umlaut_dots_ocr_lost_are_put_back_where_the_mrz_spells_them() -> None:
    page = words("KUHN", "KATE ANNELIESE", "ROSSLER", "MULLER")
    surname = full_name(page, None, "KUEHN", truncated=False)
    assert surname is not None and surname.text == "KÜHN"
    given = full_name(page, None, "KAETE ANNELIESE", truncated=False)
    assert given is not None and given.text == "KÄTE ANNELIESE"
    assert full_name(page, None, "MULLER", truncated=False).text == "MULLER"  # type: ignore[union-attr]
    assert full_name(page, None, "ROESLER", truncated=False) is None  # a dot does not make a missing letter
