"""Wording of certificates: titles and labels per language, universities, fields of study."""

from __future__ import annotations

TITLES = {
    "uk": {
        "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
        "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ ПОВНОЇ ЗАГАЛЬНОЇ СЕРЕДНЬОЇ ОСВІТИ",
        "degree": "ДИПЛОМ БАКАЛАВРА",
    },
    "ru": {
        "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
        "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
        "school": "АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ",
        "degree": "ДИПЛОМ СПЕЦИАЛИСТА",
    },
    "ar": {
        "birth": "شهادة ميلاد",
        "marriage": "شهادة زواج",
        "school": "شهادة الدراسة الثانوية",
        "degree": "شهادة جامعية",
    },
    "fa": {
        "birth": "شناسنامه – گواهی تولد",
        "marriage": "نکاح خط",
        "school": "شهادتنامه بکلوریا",
        "degree": "دیپلم لیسانس",
    },
    "tr": {
        "birth": "DOĞUM BELGESİ",
        "marriage": "EVLENME CÜZDANI",
        "school": "LİSE DİPLOMASI",
        "degree": "LİSANS DİPLOMASI",
    },
    "en": {
        "birth": "BIRTH CERTIFICATE",
        "marriage": "MARRIAGE CERTIFICATE",
        "school": "SECONDARY SCHOOL CERTIFICATE",
        "degree": "BACHELOR'S DEGREE",
    },
    "de": {
        "birth": "Geburtsurkunde",
        "marriage": "Eheurkunde",
        "school": "Zeugnis der allgemeinen Hochschulreife",
        "degree": "Bachelorzeugnis",
        "registration": "Meldebescheinigung",
    },
}
LABELS = {
    "uk": {
        "name": "Прізвище, ім'я",
        "birth_date": "Дата народження",
        "birth_place": "Місце народження",
        "issue_date": "Дата видачі",
        "authority": "Орган, що видав",
        "number": "Серія та номер",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Чоловік / дружина",
        "marriage_date": "Дата реєстрації шлюбу",
        "speciality": "Спеціальність",
    },
    "ru": {
        "name": "Фамилия, имя",
        "birth_date": "Дата рождения",
        "birth_place": "Место рождения",
        "issue_date": "Дата выдачи",
        "authority": "Орган, выдавший документ",
        "number": "Серия и номер",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруг(а)",
        "marriage_date": "Дата регистрации брака",
        "speciality": "Специальность",
    },
    "ar": {
        "name": "الاسم الكامل",
        "birth_date": "تاريخ الولادة",
        "birth_place": "مكان الولادة",
        "issue_date": "تاريخ الإصدار",
        "authority": "جهة الإصدار",
        "number": "رقم الشهادة",
        "father": "اسم الأب",
        "mother": "اسم الأم",
        "spouse": "الزوج / الزوجة",
        "marriage_date": "تاريخ الزواج",
        "speciality": "الاختصاص",
    },
    "fa": {
        "name": "نام و تخلص",
        "birth_date": "تاریخ تولد",
        "birth_place": "محل تولد",
        "issue_date": "تاریخ صدور",
        "authority": "مرجع صدور",
        "number": "شماره سند",
        "father": "نام پدر",
        "mother": "نام مادر",
        "spouse": "همسر",
        "marriage_date": "تاریخ ازدواج",
        "speciality": "رشته",
    },
    "tr": {
        "name": "Adı Soyadı",
        "birth_date": "Doğum Tarihi",
        "birth_place": "Doğum Yeri",
        "issue_date": "Veriliş Tarihi",
        "authority": "Veren Makam",
        "number": "Belge No",
        "father": "Baba Adı",
        "mother": "Ana Adı",
        "spouse": "Eşi",
        "marriage_date": "Evlenme Tarihi",
        "speciality": "Bölüm",
    },
    "en": {
        "name": "Full name",
        "birth_date": "Date of birth",
        "birth_place": "Place of birth",
        "issue_date": "Date of issue",
        "authority": "Issuing authority",
        "number": "Certificate No.",
        "father": "Father",
        "mother": "Mother",
        "spouse": "Spouse",
        "marriage_date": "Date of marriage",
        "speciality": "Major",
    },
    "de": {
        "name": "Name, Vorname",
        "birth_date": "Geburtsdatum",
        "birth_place": "Geburtsort",
        "issue_date": "Ausstellungsdatum",
        "authority": "Ausstellende Behörde",
        "number": "Nummer",
        "father": "Vater",
        "mother": "Mutter",
        "spouse": "Ehegatte",
        "marriage_date": "Tag der Eheschließung",
        "speciality": "Studiengang",
    },
}
UNIVERSITIES = {
    "UKR": [
        (
            "Київський національний університет імені Тараса Шевченка",
            "Taras Shevchenko National University of Kyiv",
        ),
        (
            "Харківський національний університет імені В. Н. Каразіна",
            "V. N. Karazin Kharkiv National University",
        ),
        ("Львівський національний університет імені Івана Франка", "Ivan Franko National University of Lviv"),
    ],
    "RUS": [
        ("Московский государственный университет", "Lomonosov Moscow State University"),
        ("Казанский федеральный университет", "Kazan Federal University"),
    ],
    "SYR": [
        ("جامعة دمشق", "Damascus University"),
        ("جامعة حلب", "University of Aleppo"),
        ("جامعة تشرين", "Tishreen University"),
    ],
    "AFG": [("دانشگاه کابل", "Kabul University"), ("دانشگاه هرات", "Herat University")],
    "TUR": [("İstanbul Üniversitesi", "Istanbul University"), ("Ankara Üniversitesi", "Ankara University")],
    "D": [
        ("Martin-Luther-Universität Halle-Wittenberg", "Martin-Luther-Universität Halle-Wittenberg"),
        ("Universität Leipzig", "Universität Leipzig"),
        ("Hochschule Merseburg", "Hochschule Merseburg"),
    ],
}
SPECIALITIES = [
    ("Економіка", "Економика", "الاقتصاد", "اقتصاد", "İktisat", "Economics", "Volkswirtschaftslehre"),
    (
        "Інформатика",
        "Информатика",
        "علوم الحاسوب",
        "کمپیوتر ساینس",
        "Bilgisayar Mühendisliği",
        "Computer Science",
        "Informatik",
    ),
    ("Медицина", "Медицина", "الطب البشري", "طب", "Tıp", "Medicine", "Medizin"),
    ("Право", "Юриспруденция", "الحقوق", "حقوق", "Hukuk", "Law", "Rechtswissenschaft"),
]
SPEC_INDEX = {"uk": 0, "ru": 1, "ar": 2, "fa": 3, "tr": 4, "en": 5, "de": 6}
# The second page of a school or degree certificate: its grades (Anlage, Додаток, Diploma Supplement ...).
SUPPLEMENT_TITLES = {
    "uk": {"school": "ДОДАТОК ДО СВІДОЦТВА", "degree": "ДОДАТОК ДО ДИПЛОМА"},
    "ru": {"school": "ПРИЛОЖЕНИЕ К АТТЕСТАТУ", "degree": "ПРИЛОЖЕНИЕ К ДИПЛОМУ"},
    "ar": {"school": "كشف الدرجات", "degree": "ملحق الشهادة الجامعية – كشف الدرجات"},
    "fa": {"school": "ریز نمرات", "degree": "پیوست دیپلم – ریز نمرات"},
    "tr": {"school": "NOT DÖKÜM BELGESİ", "degree": "DİPLOMA EKİ"},
    "en": {"school": "TRANSCRIPT OF RECORDS", "degree": "DIPLOMA SUPPLEMENT"},
    "de": {
        "school": "Anlage zum Zeugnis – Leistungsübersicht",
        "degree": "Anlage zum Bachelorzeugnis – Notenübersicht",
    },
}
SUBJECTS = {
    "uk": ("Українська мова", "Математика", "Історія України", "Англійська мова", "Фізика", "Біологія"),
    "ru": ("Русский язык", "Математика", "История", "Английский язык", "Физика", "Химия"),
    "ar": ("اللغة العربية", "الرياضيات", "الفيزياء", "الكيمياء", "اللغة الإنكليزية", "التاريخ"),
    "fa": ("ادبیات دری", "ریاضی", "فزیک", "کیمیا", "زبان انگلیسی", "تاریخ"),
    "tr": ("Türk Dili ve Edebiyatı", "Matematik", "Fizik", "Kimya", "İngilizce", "Tarih"),
    "en": ("Language and Literature", "Mathematics", "Physics", "Chemistry", "English", "History"),
    "de": ("Deutsch", "Mathematik", "Geschichte", "Englisch", "Physik", "Biologie"),
}
GRADE_WORDS = {"uk": "Оцінка", "ru": "Оценка", "ar": "الدرجة", "fa": "نمره", "tr": "Not", "en": "Grade", "de": "Note"}
PAGE_WORDS = {
    "uk": "Сторінка {k} з {n}",
    "ru": "Страница {k} из {n}",
    "ar": "صفحة {k} من {n}",
    "fa": "صفحه {k} از {n}",
    "tr": "Sayfa {k} / {n}",
    "en": "Page {k} of {n}",
    "de": "Seite {k} von {n}",
}
