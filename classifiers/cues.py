"""Strong textual cues: the titles and letterheads that name a document's type outright.

A title such as "Geburtsurkunde", "СВІДОЦТВО ПРО НАРОДЖЕННЯ" or "AUFENTHALTSTITEL" is a far stronger signal
than the bag of words around it, and a title at the top of a page is the surest sign a new document starts.
The patterns tolerate the usual OCR slips (lost umlauts, case) but not arbitrary noise: a cue that fires
must be right, the text classifier covers the rest.
"""

from __future__ import annotations

import re

from classifiers.lexicon import PERSIAN_FOLD
from schemas.documents import CERTIFICATE_TYPES, DocumentType

T = DocumentType
_CUES: tuple[tuple[DocumentType, str], ...] = (
    (
        T.ID_CARD,
        r"IDENTITY\s*CARD|PERSONALAUSWEIS|ПАСПОРТ\s+ГРОМАДЯНИНА|K[İI]ML[İI]K\s+KARTI|CARTE\s+D.IDENTIT",
    ),
    (T.RESIDENCE_PERMIT, r"AUFENTHALTSTITEL\b|RESIDENCE\s+PERMIT|TITRE\s+DE\s+S[ÉE]JOUR"),
    (T.VISA, r"^\s*VISU[MN]\s*$|TYP\s+DES\s+VISUMS|TYPE\s+OF\s+VISA"),
    (
        T.PASSPORT,
        r"REISEPASS\s*/\s*PASSPORT|PASSPORT\s*/\s*PASSEPORT|ПАСПОРТ\s*/\s*PASSPORT|PASAPORT"
        r"|جواز\s+سفر|پاسپورت|^\s*PASSPORT\s*$",
    ),
    (T.NOTICE, r"\b\w*bescheid\b|Rechtsbehelfsbelehrung|Widerspruch\s+erhoben"),
    (
        T.BIRTH_CERTIFICATE,
        r"Geburtsurkunde|BIRTH\s+CERTIFICATE|СВІДОЦТВО\s+ПРО\s+НАРОДЖЕННЯ"
        r"|СВИДЕТЕЛЬСТВО\s+О\s+РОЖДЕНИ[ИЙ]|شهادة\s+ميلاد|گواهی\s+تولد|DO[ĞG]UM\s+BELGES[İI]"
        r"|Geburtenregister|Geburtsschein|CERTIFICATE\s+OF\s+BIRTH|BIRTH\s+REGISTRATION|شهادة\s+الولادة|وثيقة\s+ولادة"
        r"|Geburtsbescheinigung"
        # the civil register's extract of the entry (the multilingual CIEC extracts, the Turkish and Ukrainian ones)
        r"|Auszug\s+aus\s+dem\s+Geburts(?:eintrag|register)|EXTRACT\s+(?:OF|FROM)\s+(?:THE\s+)?BIRTH\s+(?:RECORD|REGISTER|ENTRY)"
        r"|Extrait\s+d.acte\s+de\s+naissance|DO[ĞG]UM\s+KAYDINDAN\s+[ÖO]RNEK|РЕЄСТРАЦІЇ\s+НАРОДЖЕННЯ",
    ),
    (
        T.MARRIAGE_CERTIFICATE,
        r"Eheurkunde|Heiratsurkunde|MARRIAGE\s+CERTIFICATE|СВІДОЦТВО\s+ПРО\s+ШЛЮБ"
        r"|СВИДЕТЕЛЬСТВО\s+О\s+ЗАКЛЮЧЕНИ[ИЙ]\s+БРАКА|شهادة\s+زواج|نکاح\s*خط|EVLENME\s+C[ÜU]ZDANI"
        r"|Eheregister|Heiratsschein|Urkunde\s+über\s+die\s+Eheschließung|Eheschließungsurkunde|CERTIFICATE\s+OF\s+MARRIAGE|MARRIAGE\s+REGISTRATION|СВИДЕТЕЛЬСТВО\s+О\s+БРАКЕ"
        r"|عقد\s+(?:ال)?زواج|وثيقة\s+زواج|EVLENME\s+BELGES[İI]"
        r"|Auszug\s+aus\s+dem\s+(?:Heirats|Ehe)(?:eintrag|register)|EXTRACT\s+(?:OF|FROM)\s+(?:THE\s+)?MARRIAGE\s+(?:RECORD|REGISTER|ENTRY)"
        r"|Extrait\s+d.acte\s+de\s+mariage|EVLENME\s+KAYDINDAN\s+[ÖO]RNEK|РЕЄСТРАЦІЇ\s+ШЛЮБУ",
    ),
    (
        T.SCHOOL_CERTIFICATE,
        r"Zeugnis\s+der\s+allgemeinen\s+Hochschulreife|Abiturzeugnis|SECONDARY\s+SCHOOL"
        r"|ЗАГАЛЬНОЇ\s+СЕРЕДНЬОЇ\s+ОСВІТИ|АТТЕСТАТ\s+О\s+СРЕДНЕМ|الدراسة\s+الثانوية"
        r"|شهادتنامه|L[İI]SE\s+D[İI]PLOMASI"
        # the certificate's own word, also in Latin look-alikes as OCR reads it off a Cyrillic line
        r"|\b[AА][TТ][TТ]?[EЕ][CС][TТ][AА][TТ]\b|SCHOOL\s+LEAVING|ОСНОВНОМ\s+ОБЩЕМ\s+ОБРАЗОВАН|БАЗОВУ\s+СЕРЕДНЮ\s+ОСВІТУ"
        r"|Reifezeugnis|Zeugnis\s+der\s+Reife|Sekundarschul\w*zeugnis|Zeugnis\s+der\s+Sekundarschule|Abschlusszeugnis|Zeugnis\s+über\s+den\s+(?:\w+\s+)?Abschluss|(?<!Hoch)Schulabschluss"
        r"|HIGH\s+SCHOOL\s+DIPLOMA"
        r"|SECONDARY\s+EDUCATION|СЕРЕДНЮ\s+ОСВІТУ|СЕРЕДНЬОЇ\s+ОСВІТИ|СРЕДНЕМ\s+ОБЩЕМ\s+ОБРАЗОВАНИИ|الثانوية\s+العامة",
    ),
    (
        T.DEGREE_CERTIFICATE,
        r"Bachelorzeugnis|Masterzeugnis|BACHELOR.S\s+DEGREE|ДИПЛОМ\s+БАКАЛАВРА"
        r"|ДИПЛОМ\s+СПЕЦИАЛИСТА|شهادة\s+جامعية|دیپلم\s+لیسانس|L[İI]SANS\s+D[İI]PLOMASI"
        r"|ДИПЛОМ\s+СПЕЦІАЛІСТА|ДИПЛОМ\s+МАГ[ІИ]СТРА|BACHELOR\s+DIPLOMA|MASTER\s+DIPLOMA"
        r"|Hochschuldiplom|Diplomurkunde|Bachelorurkunde|Masterurkunde|^\s*Diplom\s*(?:\(|$)|DEGREE\s+CERTIFICATE"
        r"|CERTIFICATE\s+OF\s+GRADUATION|UNIVERSITY\s+DEGREE|MASTER.S\s+DEGREE|^\s*ДИПЛОМ\s*$"
        # the degree conferred, in the seven languages (`Bachelor of Science`, `Akademischer Grad`, `دانشنامه`)
        r"|\bBACHELOR\s+OF\s+(?:SCIENCE|ARTS|ENGINEERING|LAWS?|EDUCATION|ECONOMICS|MEDICINE)"
        r"|\bMASTER\s+OF\s+(?:SCIENCE|ARTS|ENGINEERING|LAWS?|EDUCATION|ECONOMICS)|Verleihung\s+des\s+akademischen\s+Grades"
        r"|ДИПЛОМ\s+(?:ПРО\s+ВИЩУ\s+ОСВІТУ|О\s+ВЫСШЕМ\s+ОБРАЗОВАНИИ|МАГІСТРА|БАКАЛАВРА)"
        r"|شهادة\s+(?:البكالوريوس|الليسانس|التخرج|الماجستير)|دانشنامه|دانشنامه\s+کارشناسی|L[İI]SANS\s+D[İI]PLOMASI"
        # a diploma's heading alone, and the degree named in its sentence (`is awarded the degree of`,
        # `den akademischen Grad`, `здобув ступінь бакалавра`, `Yüksek Lisans programını`)
        r"|^\s*D[İI]PLOMA\s*$|akademischen?\s+Grad|Hochschulgrad|conferred\s+upon|awarded\s+the\s+degree|degree\s+of\s+(?:Bachelor|Master|Doctor)"
        r"|ступ[іи]н[ьія]\s+(?:вищої\s+освіти\s+)?(?:бакалавра|магістра)|квалификаци[юя]\s+(?:бакалавра|магистра|специалиста)"
        r"|Y[ÜU]KSEK\s+L[İI]SANS|L[İI]SANS\s+PROGRAM|بكالوريوس|ليسانس|ماجستير|کارشناسی"
        # diplomas titled by the level they certify, in the wordings universities use
        r"|DIPLOMA\s+OF\s+(?:HIGHER\s+EDUCATION|BACHELOR|MASTER|SPECIALIST|DOCTOR)|HIGHER\s+EDUCATION\s+DIPLOMA"
        r"|UNIVERSITY\s+DIPLOMA|(?:BACHELOR|MASTER)(?:.?S)?\s+(?:DIPLOMA|DEGREE)|(?<!SCHOOL\s)GRADUATION\s+CERTIFICATE"
        r"|DOCTOR\s+OF\s+(?:PHILOSOPHY|MEDICINE|LAWS?|SCIENCE|ENGINEERING)|Hochschulabschluss|Hochschulzeugnis"
        r"|Promotionsurkunde|Doktorurkunde|(?:Magister|Bachelor|Master)diplom|Diplom-(?:Ingenieur|Kauf(?:mann|frau)|Volkswirt|Psycholog)|Magister\s+Artium"
        r"|Zeugnis\s+über\s+die\s+(?:Bachelor|Master|Diplom|Magister)\w*prüfung|(?:Bachelor|Master)prüfung"
        r"|КВАЛ[ІИ]Ф[ІИ]КАЦ[ІИ][ЯЮ]\s*:?\s*(?:БАКАЛАВР|МАГ[ІИ]СТР|СПЕЦ[ІИ]АЛ[ІИ]СТ)|شهادة\s+تخرج",
    ),
    (
        T.REGISTRATION_CERTIFICATE,
        r"Meldebescheinigung|Melderegisterauskunft|Wohnsitzbescheinigung|Bescheinigung\s+über\s+den\s+Wohnsitz"
        r"|Wohnsitzanmeldung|Anmeldung\s+des\s+Wohnsitzes|Auszug\s+aus\s+dem\s+(?:Einwohner|Melde)register"
        r"|CERTIFICATE\s+OF\s+RESIDENCE|RESIDENCE\s+CERTIFICATE|REGISTRATION\s+OF\s+RESIDENCE"
        r"|РЕЄСТРАЦІЮ\s+МІСЦЯ\s+ПРОЖИВАННЯ|РЕГИСТРАЦИИ\s+ПО\s+МЕСТУ\s+ЖИТЕЛЬСТВА|[İI]KAMETGAH\s+BELGES[İI]"
        r"|YERLE[ŞS][İI]M\s+YER[İI]\s+BELGES[İI]"
        r"|Meldebest[äa]tigung|Anmeldebest[äa]tigung|PROOF\s+OF\s+(?:RESIDENCE|ADDRESS)|RESIDENCE\s+REGISTRATION"
        r"|ДОВІДКА\s+ПРО\s+РЕЄСТРАЦІЮ|СПРАВКА\s+О\s+РЕГИСТРАЦИИ|شهادة\s+(?:سكن|إقامة)|گواهی\s+(?:سکونت|اقامت)",
    ),
    (
        T.OTHER,
        r"Wohnungsgeberbest[äa]tigung|Verdienstabrechnung|[ÄA]rztliche\s+Bescheinigung|Teilnahmebest[äa]tigung"
        r"|Anmeldung\s+bei\s+der\s+Meldebeh[öo]rde|^\s*Rechnung\s+\d\d/\d{4}\s*$",
    ),
)
# Titles in Persian are matched in Arabic letter forms, which OCR with ara+fas returns as often.
_COMPILED = tuple(
    (doc_type, re.compile(pattern.translate(PERSIAN_FOLD), re.IGNORECASE | re.MULTILINE)) for doc_type, pattern in _CUES
)


# Latin letters OCR puts for their Cyrillic look-alikes in a certificate's Cyrillic title (`СВИДЕТЕЛЬСТВО O
# РОЖДЕНИИ`, `ПО MECTY ЖИТЕЛЬСТВА`): a certificate's title is looked for in the text with them made Cyrillic too.
_CYRILLIC_LOOKALIKES = str.maketrans("ABCEHIKMOPTXYaceiopxy", "АВСЕНІКМОРТХУасеіорху")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def title_types(text: str) -> list[DocumentType]:
    """The types whose titles occur in `text` (a certificate's also in Latin look-alikes of Cyrillic letters), in
    order of first occurrence."""
    text = text.translate(PERSIAN_FOLD)
    first: dict[DocumentType, int] = {}
    for doc_type, pattern in _COMPILED:
        match = pattern.search(text)
        if match:
            first[doc_type] = match.start()
    if _CYRILLIC.search(text):
        folded = text.translate(_CYRILLIC_LOOKALIKES)
        for doc_type, pattern in _COMPILED:
            match = pattern.search(folded) if doc_type in CERTIFICATE_TYPES else None
            if match and match.start() < first.get(doc_type, len(text) + 1):
                first[doc_type] = match.start()
    return sorted(first, key=first.__getitem__)
