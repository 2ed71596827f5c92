"""Certificate captions no label table lists, read by the words they are made of (issue 17).

The label tables (`classifiers.fields`, `classifiers.keyvalue`, `classifiers.certificate_labels_extra`) know
the wordings seen so far; every new form words its captions a little differently (`Date of award`, `Name
of the awardee`, `Awarding body`, `Belge numarası`, `Дата оформлення документа`). What stays the same is
what a caption is made of: a subject word (birth, issue, name, number, institution) and a kind word (date,
place, by). A short line or column with no digits whose words say "birth" and "place" is a birth-place
caption in any wording; its value is where a reader looks (`classifiers.geometry`: beside it, else on the
row below, as in boxed forms whose small caption sits over the value). Captions naming another person
(father, mother, spouse, registrar, witness) are never the holder's.

Only for fields no label table found, with a certainty below the review line (`CERTAINTY` < 0.5): a document
with a field only a caption's words gave is always shown to a clerk, and the review model does not learn to
trust low readings from this reader's mostly right ones.
"""

from __future__ import annotations

import re

from classifiers.extract import groups
from classifiers.lexicon import fold
from classifiers.text import DocumentText

CERTAINTY = 0.45  # below the review line (0.5): a caption known by its words alone is always shown to a clerk

_I = re.IGNORECASE
_ARABIC_WORD = re.compile("(?<=\\|)([\u0600-\u06ff\u200c ]+)(?=\\||$)")


def _caption_words(pattern: str, flags: int = _I) -> re.Pattern[str]:
    """`pattern` compiled with its Arabic and Persian words matched as whole words: Arabic script has no
    capitals to tell a name from a caption word, and `اسم` (name) is inside `قاسم` (Qasim), `الام` (the
    mother) inside `الامارات` (the Emirates)."""
    bounded = _ARABIC_WORD.sub(lambda m: f"(?<![\u0600-\u06ff]){m.group(1)}(?![\u0600-\u06ff])", pattern)
    return re.compile(bounded, flags)


# Another person's caption (parents, spouse, witnesses, officials): its value is never the holder's.
_OTHER_PERSON = _caption_words(
    r"father|mother|parent|spouse|husband|\bwife|witness|registrar|translator|official|signature"
    r"|Vater|Mutter|Eltern|Ehe(?:gatt|frau|mann|partner)|Zeuge|Übersetz|Standesbeamt|Unterschrift"
    r"|(?<!по\s)батьк|\bмати\b|\bматер|чоловік|дружин|свідк|\bотец|\bотца|\bмать\b|\bматери|родител|супруг|свидетел"
    r"|подпис|підпис|\bbaba(?:\s+ad|s[ıi]\b)|\bana\s+ad|\banne(?:\s+ad|si\b)|\beş[iİ]?\b|eşinin|tanık|imza"
    r"|الأب|الاب|الأم|الام|الزوج|الشاهد|التوقيع|پدر|مادر|همسر|امضا",
    _I,
)
_BIRTH = _caption_words(
    r"birth|\bborn\b|\bD\.?O\.?B\b|Geburt|geboren|\bgeb\.|народж|народив|народил|рожд|родил|doğum|dogum|doğduğu"
    r"|ولادة|الولادة|ميلاد|الميلاد|مولد|تولد",
    _I,
)
_PLACE = _caption_words(r"place|\bort\b|-?ort\b|місце|место|\byer[iİ]?\b|مكان|محل", _I)
_DATE = _caption_words(r"date|datum|\btag\b|\bdated?\b|дата|число|tarih|تاريخ|تاریخ|\bon\b|\bam\b", _I)
_ISSUE = _caption_words(
    r"issu|award|conferr|granted|Ausstell|ausgestellt|erteilt|verliehen|Verleihung|видач|видан|видав|выдач|выдан"
    r"|выдав|оформлен|düzenle|veril|veren|tanzim|إصدار|الإصدار|المنح|منح|مانحة|المانحة|صدور|صادر|الصادرة",
    _I,
)
_BODY = _caption_words(
    r"\bby\b|body|authority|office|issuer|\bvon\b|durch|Stelle|Behörde|Amt\b|орган|kurum|makam|birim|جهة|الجهة"
    r"|مرجع|اداره",
    _I,
)
# An institution named in a caption (`Name of school`, `Awarding university`): the issuer, not the holder.
_INSTITUTION = _caption_words(
    r"institution|university|school|college|Einrichtung|Hochschule|Universität|Schule|установ|заклад"
    r"|учрежден|університет|университет|школ|okul|üniversite|المؤسسة|مؤسسة|الجامعة|جامعة|المدرسة|دانشگاه|مدرسه",
    _I,
)
_NUMBER = _caption_words(
    r"\bno\b\.?|\bnr\b\.?|number|nummer|№|номер|\bнр\b|numara|\bsayı|رقم|شماره|\bserial|\bseries|серія|серия|\bseri\b",
    _I,
)
_NOT_DOCUMENT_NUMBER = _caption_words(
    r"phone|telefon|fax|tax|steuer|passport|reisepass|pass-?nr|personalausweis|\bID\b|паспорт|телефон|податков"
    r"|налогов|pasaport|kimlik|telefon|هاتف|جواز|تلفن|گذرنامه|house|haus|flat|wohnung|квартир|будин|дом\b|room",
    _I,
)
_NAME = _caption_words(
    r"\bname\b|(?:familien|vor|nach|zu|geburts)name|holder|bearer|graduate|student|pupil|recipient|awardee|Inhaber|Absolvent|Schüler|Student|Empfänger"
    r"|прізвищ|\bім[’'ʼ`]?я\b|\bимя\b|фамили|власни|владел|випускни|выпускни|\bучень|\bучени|студент|\bособа"
    r"|\bП\.?І\.?Б|\bФ\.?И\.?О|\badı\b|\bad\b|soyad|sahibi|mezun|öğrenci|اسم|الاسم|صاحب|الخريج|الطالب"
    r"|(?<!\S)نام(?!\S)|دارنده|دانش‌آموخته|دانشجو",
    _I,
)
# Captions that say whom the certificate is for, whatever other words they hold (`Name of the awardee`).
_HOLDER = re.compile(r"awardee|awarded\s+to|issued\s+to|ausgestellt\s+für|verliehen\s+an|видано\s+на\s+ім", _I)
# The parts of a name: a caption naming one part only is a name row (`classifiers.keyvalue` assembles those),
# one naming both is the whole name (`Familienname, Vorname(n)`, `Adı Soyadı`, `نام و نام خانوادگی`).
_SURNAME_WORD = _caption_words(
    r"surname|family\s+name|last\s+name|^name\s*[,/]|familienname|nachname|zuname|geburtsname|прізвищ|фамили|soyad"
    r"|الكنية|اللقب|نام\s+خانوادگی|تخلص"
)
_GIVEN_WORD = _caption_words(
    r"given|first\s+name|forename|vorname|\bvor-|rufname|\bім[’'ʼ`]?я\b|\bимя\b|\badı\b|\bad\b|الاسم|(?<!\S)نام(?!\s+خانوادگی)(?!\S)"
)
_PATRONYMIC_WORD = re.compile(r"по\s+батькові|отчество|patronymic|vatersname|baba\s+adı", _I)
_FULL = _caption_words(
    r"full|complete|vollständig|повн|полн|\btam\b|الكامل|كامل|كامل|ПІБ|П\.\s?І\.\s?Б|ФИО|Ф\.\s?И\.\s?О"
)

CAPTION_FIELDS = ("person_name", "birth_date", "birth_place", "issue_date", "issuing_authority", "certificate_number")
_MAX_CAPTION_WORDS = 7
_MAX_CAPTION_CHARS = 60


# Words that name a kind of office issuing certificates, but no particular one (no town, no number): a line of
# nothing but these in two or three languages (`Nüfus Müdürlüğü / Standesamt / Civil registry office`) is the
# caption over the office's name, as a form prints it, not the name.
_OFFICE_KIND_WORDS = frozenset(
    fold(word).casefold()
    for words in (
        "civil registry registration register office status population records vital directorate department general",
        "of the for and registrar's",
        "standesamt bürgeramt meldebehörde einwohnermeldeamt meldeamt amt behörde personenstandsbehörde zuständige",
        "nüfus müdürlüğü müdürlügü ilçe il vatandaşlık işleri genel",
        "відділ реєстрації державної актів цивільного стану драцс рацс",
        "отдел загс записи актов гражданского состояния",
        "دائرة الأحوال المدنية الاحوال اداره ثبت احوال",
    )
    for word in words.split()
)
_CAPTION_PARTS = re.compile(r"\s+/\s+|\s*\|\s*")
_OFFICE_HEAD = re.compile(
    r"office|registry|directorate|department|amt|behörde|müdürlü|відділ|драцс|рацс|отдел|загс|دائرة|اداره|ثبت", _I
)


def office_kind_caption(text: str) -> bool:
    """Whether a line names a kind of office, and no particular one, in two languages or more, parts set apart
    by slashes or rules (see `_OFFICE_KIND_WORDS`)."""
    parts = [part for part in _CAPTION_PARTS.split(text.strip(" :|")) if part.strip()]
    if len(parts) < 2:
        return False
    for part in parts:
        words = [fold(word).casefold().strip(".,:()") for word in part.split()]
        if not _OFFICE_HEAD.search(part) or not all(word in _OFFICE_KIND_WORDS for word in words):
            return False
    return True


def caption_field(text: str) -> str | None:
    """The certificate field a short caption names by its words, or None (`other` for another person's)."""
    if office_kind_caption(text):
        return "issuing_authority"
    words = text.strip(" :.-/|")
    if not words or len(words) > _MAX_CAPTION_CHARS or len(words.split()) > _MAX_CAPTION_WORDS:
        return None
    if any(ch.isdigit() for ch in words):
        return None  # a value (a date, a number), or a caption run together with its value
    if _OTHER_PERSON.search(words):
        return "other"
    surname, given = bool(_SURNAME_WORD.search(words)), bool(_GIVEN_WORD.search(words))
    if _PATRONYMIC_WORD.search(words) and not (surname and given):
        return "other"  # the patronymic row
    if not _FULL.search(words) and surname != given:
        return "other"  # one part of the name: the name-row reader (`classifiers.keyvalue`) assembles those
    birth = _BIRTH.search(words)
    if birth and _PLACE.search(words) and not _DATE.search(words):
        return "birth_place"
    if birth and not _PLACE.search(words):
        return "birth_date"
    if birth:
        return None  # `Date and place of birth`: the key-value table's joined label reads it
    if _NUMBER.search(words) and not _NOT_DOCUMENT_NUMBER.search(words):
        return "certificate_number"
    if _HOLDER.search(words):
        return "person_name"
    issue = _ISSUE.search(words)
    body = _BODY.search(words) or _INSTITUTION.search(words)
    if issue and _DATE.search(words) and not body:
        return "issue_date"
    # an issuer's caption says it issues (`Issued by`, `Awarding body`, `Видано`) or names the institution's
    # name (`Name of school`); a bare `University of Aleppo` or `Civil Registry Office` is a letterhead, no caption
    if (issue and not _DATE.search(words)) or (_NAME.search(words) and _INSTITUTION.search(words)):
        return "issuing_authority"
    if _NAME.search(words) and not body:
        return "person_name"
    return None


def captioned(text: DocumentText) -> dict[str, list[tuple[int, int]]]:
    """The spans of captions (a line's column split at wide gaps, or its words before the value they run on
    into) by the field they name."""
    out: dict[str, list[tuple[int, int]]] = {}
    for line in text.lines:
        for group in groups(line):
            words = [entry[2].text for entry in group]
            # the whole group, else the caption its value runs on from (`Date of award: 12.03.2021`): the words
            # before a colon, or before the first word with a digit
            colon = next((i + 1 for i, w in enumerate(words[:-1]) if w.endswith(":")), None)
            digit = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w)), None)
            ends = [n for n in (colon, digit) if n and n < len(group)] + [len(group)]
            for n in ends:
                field = caption_field(" ".join(words[:n]))
                if field is not None:
                    if field != "other":
                        out.setdefault(field, []).append((group[0][0], group[n - 1][1]))
                    break
    return out
