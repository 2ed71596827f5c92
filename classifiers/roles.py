"""Whose name a label asks for (issue 17): the holder's, or another person's.

Certificates name the parents, the spouse, witnesses and the officials beside the holder, often under the
holder's own label with a role word added: `Прізвище, ім'я, по батькові батька` (of the father),
`Фамилия, имя, отчество матери`, `Mother's full name`, `Name des Vaters`, `Baba Adı Soyadı`, `اسم الأب`,
`نام پدر`. A label matcher finds the holder's label inside them. A name label whose caption (the words of its
line up to a column's gap) holds a role word asks for someone else, and none of the name readers may take its
value for the holder's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from classifiers.extract import groups
from classifiers.text import DocumentText

# Role words, folded to lower case, in the seven languages, with the case forms a caption uses (`батька`,
# `матері`, `отца`, `Vaters`, `babanın`): parents, spouses, witnesses, officials. Not `батькові`: `по
# батькові` is the holder's patronymic; nor `ana` or `eş`, which are also given names.
_ROLES_BY_LANGUAGE = (
    "батько батька батьків батьки мати матері матір дружина дружини чоловік чоловіка подружжя наречений"
    " нареченого наречена нареченої свідок свідка свідки посадова посадової керівник керівника",
    "отец отца мать матери родители родителей супруг супруга супруги супругов жена жены муж мужа свидетель"
    " свидетеля должностное должностного начальник начальника",
    "father father's fathers mother mother's mothers parent parent's parents spouse spouse's husband husband's"
    " wife wife's guardian witness registrar official officer translator",
    "vater vaters mutter eltern elternteil ehegatte ehegatten ehegattin ehemann ehemannes ehefrau ehepartner"
    " ehepartnerin zeuge zeugin übersetzer übersetzerin dolmetscher standesbeamter standesbeamtin sachbearbeiter",
    "baba babanın babasının anne annenin ananın eşi eşinin tanık memur",
    "الأب الاب الأم الام والد والدة الزوج الزوجة الشاهد",
    "پدر مادر همسر شاهد",
)
ROLE_WORDS = frozenset(word for words in _ROLES_BY_LANGUAGE for word in words.split())
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def _words(text: str) -> list[str]:
    return [_EDGE.sub("", w).replace("’", "'").casefold() for w in text.split()]


def names_another_person(text: DocumentText, start: int, end: int) -> bool:
    """Whether the name label at characters [start, end) is another person's: its caption (the words of its
    line around it up to a column's gap) holds a role word."""
    line = text.lines[text.line_at(start)]
    for group in groups(line):
        if group[0][0] <= start < group[-1][1] or start <= group[0][0] < end:
            caption = " ".join(e[2].text for e in group)
            return any(word in ROLE_WORDS for word in _words(caption))
    return False


# The fields of label tables that name the holder.
HOLDER_FIELDS = frozenset({"person_name", "full_name", "surname", "given", "given_patronymic", "patronymic"})


def holder_labels(text: DocumentText, spans: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """`spans` (field -> label spans) without the name labels that ask for another person."""
    return {
        field: [s for s in found if not names_another_person(text, s.start_char, s.end_char)]
        if field in HOLDER_FIELDS
        else list(found)
        for field, found in spans.items()
    }


# The words of a name caption after its role word (`Mother's full name`, `Baba Adı Soyadı`): no name.
_CAPTION_LINES = (
    "name names full surname given first last family and of the name(s)",
    "прізвище ім'я по батькові фамилия имя отчество adı soyadı vorname vornamen familienname nachname des der",
    "الاسم اسم نام",
)
_CAPTION_WORDS = frozenset(word for words in _CAPTION_LINES for word in words.split())


def other_persons_names(text: DocumentText) -> list[str]:
    """What follows a role word on its line, and the line under a caption that ends with one (`Father: Petro
    Kovalenko`, `Батько  Коваленко Петро`, `Mother's full name` over `LEMESHKO Rozaliia`): the names of other
    persons, as raw text."""
    out: list[str] = []
    lines = text.lines
    for index, line in enumerate(lines):
        words = line.text.split()
        folded = _words(line.text)
        for i, word in enumerate(folded):
            if word in ROLE_WORDS:
                rest = " ".join(words[i + 1 :]).strip(" :")
                if any(w not in _CAPTION_WORDS for w in _words(rest)):
                    out.append(rest)
                elif index + 1 < len(lines) and lines[index + 1].page == line.page:
                    out.append(lines[index + 1].text)
                break
    return out
