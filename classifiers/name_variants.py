"""Tables for matching names across languages and transliterations: given-name equivalents and particles.

A given name travels between documents in several spellings that no letter rule connects: the Ukrainian
and the Russian form of one Cyrillic name (Олександр/Александр → Oleksandr/Aleksandr), the German or English
form a clerk wrote down (Alexander), and the many romanisations of an Arabic name (Muhammad, Mohammed,
Mohamad, Mehmet). `GIVEN_NAME_GROUPS` lists such equivalents, one group per line, spelt in the MRZ alphabet
(A–Z). Two given names in one group are the same name; two names in *different* groups are different names,
however alike they look (Hasan/Husain, Omar/Amir, Mohammed/Mahmoud), which keeps twins apart.

Also here: the name particles that are dropped or glued on (al-, el-, bin, von ...), and two further
Cyrillic romanisations besides ICAO (`classifiers.translit`): German (Duden) and English (BGN/PCGN), which
German registers and older documents use (Шевченко → Schewtschenko / Shevchenko).
"""

from __future__ import annotations

_GROUPS = """
ALEKSANDR ALEXANDER ALEXANDR OLEKSANDR OLEXANDR OLEKSANDER ALEKSANDER OLEKSANDRE ALEXANDRE
ALEKSEI OLEKSII OLEKSIY OLEXIY OLEKSIJ ALEXEI ALEXEY ALEKSEY ALEKSEJ ALEXEJ ALEKSII ALEKSEI
ANDRII ANDRIY ANDRIJ ANDREI ANDREY ANDREJ ANDREAS ANDRII
ANATOLII ANATOLIY ANATOLIJ ANATOLY ANATOLI
ARTEM ARTYOM ARTIOM ARTJOM
BOHDAN BOGDAN
DENYS DENIS
DMYTRO DMITRII DMITRIY DMITRY DMITRI DMITRIJ
YEVHEN IEVGEN IEVHEN EVGENII EVGENIY YEVGENY YEVGENIY EVGENY JEWGENI JEWGENIJ EUGEN EUGENE
HEORHII HEORHIY GEORGII GEORGIY GEORGY GEORG GEORGE
HRYHORII HRYHORIY GRIGORII GRIGORIY GRIGORY GRIGORI GRIGORIJ
IHOR IGOR
IVAN IWAN
KOSTIANTYN KOSTYANTYN KONSTANTIN KONSTANTYN
MAKSYM MAKSIM MAXIM MAXYM
MYKHAILO MYKHAYLO MIKHAIL MICHAIL MIHAIL MYCHAJLO MICHAEL
MYKOLA MIKOLA NIKOLAI NIKOLAY NIKOLAJ NICOLAI MYKOLAI
OLEH OLEG
PAVLO PAVEL PAWEL PAUL
PETRO PETR PYOTR PJOTR PETER PIOTR
SERHII SERHIY SERHIJ SERGEI SERGEY SERGEJ SERGII SERGIY
STEPAN STEFAN STEPHAN
VASYL VASILII VASILIY VASILY WASSILI WASSILIJ VASIL
VIKTOR VICTOR WIKTOR
VITALII VITALIY VITALY WITALI WITALIJ
VLADYSLAV VLADISLAV WLADISLAW WLADYSLAW
VOLODYMYR VLADIMIR WLADIMIR
YURII YURIY YURI YURY IURII JURIJ JURI
YAROSLAV IAROSLAV JAROSLAW JAROSLAV
OLENA ELENA YELENA JELENA IELENA HELENA
OLHA OLGA
IRYNA IRINA
NATALIIA NATALIA NATALYA NATALIJA NATALIYA NATALJA
TETIANA TETYANA TATIANA TATYANA TATJANA
KATERYNA KATERINA EKATERINA YEKATERINA JEKATERINA KATHARINA
MARIIA MARIYA MARIA MARIJA
YULIIA YULIYA YULIA JULIA JULIJA IULIIA
SVITLANA SVETLANA SWETLANA
LIUDMYLA LYUDMYLA LYUDMILA LUDMILA LJUDMILA LIUDMILA
HALYNA GALINA HALINA
HANNA ANNA GANNA
VALENTYNA VALENTINA
ANASTASIIA ANASTASIYA ANASTASIA ANASTASIJA
MUHAMMAD MOHAMMED MOHAMAD MOHAMED MOHAMMAD MUHAMMED MUHAMAD MOUHAMAD MEHMET MEHMED MOHAMUD MUKHAMMAD
AHMAD AHMED ACHMED AHMET AKHMED ACHMAD
MAHMUD MAHMOUD MAHMOOD MAHMUT
MUSTAFA MOUSTAFA MOSTAFA MUSTAPHA
YUSUF YOUSSEF YOUSEF YOSEF YUSSUF JUSUF YOUSIF YUSIF JOSEF JOSEPH IOSIF YOUSSOUF
IBRAHIM EBRAHIM IBRAHEEM IBRAHEM
ISMAIL ISMAEL ESMAIL ISMAYIL
HASAN HASSAN HASEN
HUSAYN HUSSEIN HUSEIN HUSSAIN HUSAIN HOSSEIN HOSEIN HUSEYIN HUSSIEN
ALI ALY
OMAR UMAR OMER
AMIR AMEER EMIR
ABDULLAH ABDALLAH ABDULLA ABDALLA ABDELLAH
KHALID KHALED HALID CHALID HALIT
MAHDI MEHDI MAHDY
REZA RIZA RIDA RIDHA
FATIMA FATMA FATEMEH FATMEH FATME
MARYAM MARIAM MERYEM MYRIAM
AISHA AYSHA AYSE AISCHA AICHA
KHADIJA HATICE KHADIDJA CHADIDSCHA
ZAINAB ZEYNEP ZAYNAB ZEINAB
YAQUB YAKUB YAKUP JAKUB YAQOOB IAKOV YAKOV JAKOB JACOB
SULAYMAN SULEIMAN SULAIMAN SULEYMAN SOLIMAN
HAMZA HAMZAH
JAMAL DJAMAL GAMAL CEMAL
SAID SAEED SAEID
ABBAS ABAS
MORTEZA MURTAZA MURTADA
ZAHRA ZEHRA
"""

#: Given-name spelling (A–Z) -> the group it belongs to (the group's first spelling).
GIVEN_NAME_GROUPS: dict[str, str] = {}
for _line in _GROUPS.strip().splitlines():
    _names = _line.split()
    for _name in _names:
        GIVEN_NAME_GROUPS.setdefault(_name, _names[0])

#: Name particles written as separate words (or hyphenated) that documents keep or drop at will.
PARTICLES = frozenset(
    ["AL", "EL", "UL", "AD", "AR", "AS", "AT", "AZ", "AN", "ASH", "BIN", "IBN", "BEN", "BINT", "BINTI",
     "VON", "VAN", "DER", "DEN", "DE", "DI", "DA", "DU", "LA", "LE", "ZU", "VOM"]
)  # fmt: skip
#: Spellings of Arabic "abd" (servant of) that are glued to, or separated from, the following name.
ABD_FORMS = frozenset(["ABD", "ABDUL", "ABDEL", "ABDAL", "ABDOL", "ABDU", "ABDUR", "ABDUS", "ABDER", "ABDAR"])

# --- further Cyrillic romanisations (ICAO is in classifiers.translit) ----------------------------------

_GERMAN = {
    "А": "a", "Б": "b", "В": "w", "Г": "g", "Ґ": "g", "Д": "d", "Е": "e", "Ё": "jo", "Є": "je", "Ж": "sch",
    "З": "s", "И": "i", "І": "i", "Ї": "ji", "Й": "j", "К": "k", "Л": "l", "М": "m", "Н": "n", "О": "o",
    "П": "p", "Р": "r", "С": "s", "Т": "t", "У": "u", "Ф": "f", "Х": "ch", "Ц": "z", "Ч": "tsch",
    "Ш": "sch", "Щ": "schtsch", "Ъ": "", "Ы": "y", "Ь": "", "Э": "e", "Ю": "ju", "Я": "ja",
}  # fmt: skip
_BGN = {
    "А": "a", "Б": "b", "В": "v", "Г": "g", "Ґ": "g", "Д": "d", "Е": "e", "Ё": "yo", "Є": "ye", "Ж": "zh",
    "З": "z", "И": "i", "І": "i", "Ї": "yi", "Й": "y", "К": "k", "Л": "l", "М": "m", "Н": "n", "О": "o",
    "П": "p", "Р": "r", "С": "s", "Т": "t", "У": "u", "Ф": "f", "Х": "kh", "Ц": "ts", "Ч": "ch",
    "Ш": "sh", "Щ": "shch", "Ъ": "", "Ы": "y", "Ь": "", "Э": "e", "Ю": "yu", "Я": "ya",
}  # fmt: skip
_VOWELS_CYR = frozenset("АЕЁЄИІЇОУЫЭЮЯЬЪ")


def _romanise(name: str, table: dict[str, str], *, iotated_e: str) -> str:
    out: list[str] = []
    upper = name.upper()
    for i, char in enumerate(upper):
        start = i == 0 or not upper[i - 1].isalpha()
        if char == "Е" and (start or upper[i - 1] in _VOWELS_CYR):
            piece = iotated_e  # Евгений -> Jewgeni / Yevgeniy
        elif (
            char == "И"
            and i + 1 < len(upper)
            and upper[i + 1] == "Й"
            and (i + 2 == len(upper) or not upper[i + 2].isalpha())
        ):
            piece = "i"  # -ий at the end of a word: Юрий -> Juri(j) / Yuriy
        else:
            piece = table.get(char, char.lower())
        out.append(piece.capitalize() if start else piece)
    return "".join(out)


def german_transliteration(name: str) -> str:
    """Cyrillic `name` in the German (Duden) romanisation: Шевченко → Schewtschenko, Юрий → Juri."""
    return _romanise(name, _GERMAN, iotated_e="je")


def bgn_transliteration(name: str) -> str:
    """Cyrillic `name` in the BGN/PCGN romanisation: Шевченко → Shevchenko, Евгений → Yevgeniy."""
    return _romanise(name, _BGN, iotated_e="ye")
