"""Names from the visual zone confirmed by the MRZ (issue 17): diacritics kept, cut names completed."""

from __future__ import annotations

from classifiers.viz_names import (
    ALPHABETS,
    PrintedName,
    disputed_marks,
    doubted_letters,
    full_name,
    marks_past_the_cut,
    name_field_full,
    printed_readings,
    unconfirmed_umlauts,
)
from schemas.documents import BBox, MrzCell, Word


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


def placed(*rows: tuple[float, float, str]) -> list[Word]:
    """Words at given places: each row (x, y, text) is one printed line; letters 0.012 wide, 0.03 high."""
    out = []
    for line_no, (x, y, text) in enumerate(rows):
        for token in text.split():
            width = 0.012 * len(token)
            out.append(Word(text=token, bbox=BBox(x0=x, y0=y, x1=x + width, y1=y + 0.03), confidence=0.9, line=line_no))
            x += width + 0.008
    return out


def test_a_hyphen_ocr_parted_from_the_next_word_stays_in_the_name() -> None:
    page = placed((0.3, 0.2, "DÜRRENMATT- UBERLINGER"))
    found = full_name(page, None, "DUERRENMATT UEBERLINGER", truncated=False)
    assert found is not None and found.text == "DÜRRENMATT-ÜBERLINGER" and found.slips == 0


def test_dots_are_put_back_on_a_name_read_in_lower_case() -> None:
    found = full_name(placed((0.3, 0.2, "moss")), None, "MOESS", truncated=False)
    assert found is not None and found.text == "möss"


def test_given_names_wrapped_over_two_lines_are_one_name() -> None:
    page = placed((0.3, 0.20, "Vornamen / Given names"), (0.3, 0.24, "URSULA DÖRTHE"), (0.3, 0.275, "HILDEGARD"))
    found = full_name(page, None, "URSULA DOERTHE HILDEGAR", truncated=True)
    assert found is not None and found.text == "URSULA DÖRTHE HILDEGARD"
    # a line further down, or indented elsewhere, is another field
    apart = placed((0.3, 0.24, "URSULA DÖRTHE"), (0.6, 0.275, "HILDEGARD"))
    assert full_name(apart, None, "URSULA DOERTHE HILDEGARD", truncated=False) is None


def test_a_name_on_a_numbered_line_goes_on_below_where_the_name_starts() -> None:
    # regression (tuning cut_names 0003): `2. JOHANNES CORNELIS MARIA` over `PIETERNELLA`, indented past the
    # line's number; the MRZ cut the given names to `JOHANNES<CORN`
    indent = 0.3 + 0.012 * 2 + 0.008
    page = placed((0.3, 0.20, "2. JOHANNES CORNELIS MARIA"), (indent, 0.24, "PIETERNELLA"))
    found = full_name(page, None, "JOHANNES CORN", truncated=True)
    assert found is not None and found.text == "JOHANNES CORNELIS MARIA PIETERNELLA" and found.wrapped
    # a line below that starts neither under the name, nor under its number, is another field
    apart = placed((0.3, 0.20, "2. JOHANNES CORNELIS MARIA"), (indent + 0.1, 0.24, "PIETERNELLA"))
    found = full_name(apart, None, "JOHANNES CORN", truncated=True)
    assert found is not None and found.text == "JOHANNES CORNELIS MARIA" and not found.wrapped


def test_given_names_one_to_a_line_in_a_narrow_column_are_one_name() -> None:
    # regression (tuning cut_names 0024): `GEERTRUIDA` over `WILHELMINA` over `HENDRIKUS` over `PIETERNELLA`,
    # the MRZ cut after `GEERTRUIDA<W`: every line past the cut goes on with the name
    page = placed(
        (0.56, 0.123, "GEERTRUIDA"),
        (0.56, 0.139, "WILHELMINA"),
        (0.56, 0.155, "HENDRIKUS"),
        (0.56, 0.171, "PIETERNELLA"),
    )
    page = [w.model_copy(update={"bbox": w.bbox.model_copy(update={"y1": w.bbox.y0 + 0.012})}) for w in page]
    found = full_name(page, None, "GEERTRUIDA W", truncated=True)
    assert found is not None and found.text == "GEERTRUIDA WILHELMINA HENDRIKUS PIETERNELLA" and found.wrapped
    # a label under the names ends them
    labelled = [*page[:3], *placed((0.56, 0.171, "Date of birth"))]
    labelled = [w.model_copy(update={"bbox": w.bbox.model_copy(update={"y1": w.bbox.y0 + 0.012})}) for w in labelled]
    labelled = [w.model_copy(update={"line": k}) for k, w in enumerate(labelled[:3])] + [
        w.model_copy(update={"line": 9}) for w in labelled[3:]
    ]
    found = full_name(labelled, None, "GEERTRUIDA W", truncated=True)
    assert found is not None and found.text == "GEERTRUIDA WILHELMINA HENDRIKUS"


def test_the_value_of_the_next_column_is_not_part_of_a_cut_name() -> None:
    page = placed((0.3, 0.2, "URSULA DÖRTHE HILDEGARD"), (0.75, 0.2, "BURGENLANDKREIS"))
    page = [w.model_copy(update={"line": 0}) for w in page]
    found = full_name(page, None, "URSULA DOERTHE HILDEGAR", truncated=True)
    assert found is not None and found.text == "URSULA DÖRTHE HILDEGARD"


def test_a_print_ocr_slipped_on_is_taken_only_when_asked_and_with_the_mrz_letters() -> None:
    page = placed((0.3, 0.2, "ÖZDEMTR-ÇELIKKIRAN"))
    assert full_name(page, None, "OZDEMIR CELIKKIRAN", truncated=False) is None
    found = full_name(page, None, "OZDEMIR CELIKKIRAN", truncated=False, slips=True)
    assert found is not None and found.text == "ÖZDEMIR-ÇELIKKIRAN" and found.slips == 1
    # a short name has no room for a slip: SHAHIN is not SAHIN misread
    assert full_name(placed((0.3, 0.2, "SHAHIN")), None, "SAHIN", truncated=False, slips=True) is None
    # nor has a name that differs in more than one letter of six
    assert full_name(placed((0.3, 0.2, "OSDEMTR")), None, "OZDEMIR", truncated=False, slips=True) is None


def test_the_print_corrects_a_letter_the_mrz_reader_doubted_and_the_name_stays_unsure() -> None:
    page = placed((0.3, 0.2, "ZORLU"))
    assert full_name(page, None, "ZARLU", truncated=False, slips=True) is None  # a short name, one letter off
    lines = ["P<TURZARLU<<KOCKAN".ljust(44, "<"), "Z292356114TUR7810277M310805561038967599<<<72"]
    cells = [[MrzCell(chars=c, probabilities=(1.0,)) for c in line] for line in lines]
    cells[0][6] = MrzCell(chars="A0OG", probabilities=(0.85, 0.04, 0.014, 0.006))  # a stamp over the A
    doubted = doubted_letters(lines, cells, (0, 5), "ZARLU")
    assert doubted[1] == {"O"} and not doubted[0]  # the digit 0 stands for O; G was too unlikely
    found = full_name(page, None, "ZARLU", truncated=False, slips=True, doubted=doubted)
    assert found is not None and found.text == "ZORLU" and found.slips == 1
    # the MRZ reader's doubt is no licence to take another name
    assert full_name(placed((0.3, 0.2, "ZOBLU")), None, "ZARLU", truncated=False, slips=True, doubted=doubted) is None


def test_a_ring_read_as_dots_is_put_back_where_the_mrz_spells_aa() -> None:
    found = full_name(placed((0.3, 0.2, "KRÄKENES")), None, "KRAAKENES", truncated=False)
    assert found is not None and found.text == "KRÅKENES" and found.slips == 0


def test_a_capital_i_read_as_a_small_l_is_no_slip_where_it_can_only_be_an_i() -> None:
    found = full_name(placed((0.3, 0.2, "ÖZDEMlR-ÇELIKKIRAN")), None, "OZDEMIR CELIKKIRAN", truncated=False)
    assert found is not None and found.text == "ÖZDEMIR-ÇELIKKIRAN" and found.slips == 0
    found = full_name(placed((0.3, 0.2, "lAKOVLEV")), None, "IAKOVLEV", truncated=False)
    assert found is not None and found.text == "IAKOVLEV" and found.slips == 0
    found = full_name(placed((0.3, 0.2, "lryna")), None, "IRYNA", truncated=False)
    assert found is not None and found.text == "Iryna"
    # in a word of small letters an l inside the word is an l: `Ilia` read `llia` is a slip
    assert full_name(placed((0.3, 0.2, "Ilia")), None, "IIIA", truncated=False) is None
    # past the MRZ's cut no MRZ letter tells: the bar is made an I where only an I can stand
    cut = full_name(placed((0.3, 0.2, "Oleksandr lllich lvanenko")), None, "OLEKSANDR", truncated=True)
    assert cut is not None and cut.text == "Oleksandr Illich Ivanenko"
    particle = full_name(placed((0.3, 0.2, "Maria de la Paz")), None, "MARIA DE", truncated=True)
    assert particle is not None and particle.text == "Maria de la Paz"


def test_a_name_cut_between_two_words_goes_on_past_the_mrz_and_to_the_line_below() -> None:
    lines = ["IDD<<J898857479<<<<<<<<<<<<<<<", "6712167M3203097D<<<<<<<<<<<<<8", "MUEHLENKAMP<<FRIEDRICH<INGRID<"]
    assert name_field_full(lines)  # one filler short: ILSE would not have fitted
    assert not name_field_full([*lines[:2], "MUEHLENKAMP<<FRIEDRICH<INGR<<"])
    page = placed((0.3, 0.20, "MÜHLENKAMP, FRIEDRICH INGRID ILSE"), (0.3, 0.24, "LIESELOTTE"))
    found = full_name(page, None, "FRIEDRICH INGRID", truncated=True)
    assert found is not None and found.text == "FRIEDRICH INGRID ILSE LIESELOTTE" and found.wrapped
    # a label below the name is not the rest of it, nor is a line in smaller print
    labelled = placed((0.3, 0.20, "FRIEDRICH INGRID ILSE"), (0.3, 0.24, "Date of birth"))
    found = full_name(labelled, None, "FRIEDRICH INGRID", truncated=True)
    assert found is not None and found.text == "FRIEDRICH INGRID ILSE" and not found.wrapped
    # nor the next field's value in capitals read with little confidence (the nationality under a cut name)
    unsure = placed((0.3, 0.20, "OTZKAN"), (0.3, 0.24, "DEUTSCH"))
    unsure = [w.model_copy(update={"confidence": 0.54}) if w.line else w for w in unsure]
    found = full_name(unsure, None, "OETZK", truncated=True)
    assert found is not None and found.text == "ÖTZKAN"
    small = placed((0.3, 0.20, "FRIEDRICH INGRID ILSE"), (0.3, 0.24, "GEBURTSNAME"))
    small = [
        w.model_copy(update={"bbox": w.bbox.model_copy(update={"y1": w.bbox.y0 + 0.018})}) if w.line else w
        for w in small
    ]
    found = full_name(small, None, "FRIEDRICH INGRID", truncated=True)
    assert found is not None and found.text == "FRIEDRICH INGRID ILSE"


def test_rn_read_as_m_and_m_read_as_rn_are_no_slips_where_the_mrz_spells_them() -> None:
    found = full_name(placed((0.3, 0.2, "Chemihivska")), None, "CHERNIHIVSKA", truncated=False)
    assert found is not None and found.text == "Chernihivska" and found.slips == 0
    found = full_name(placed((0.3, 0.2, "KARIRNOV")), None, "KARIMOV", truncated=False)
    assert found is not None and found.text == "KARIMOV" and found.slips == 0
    # an m where the MRZ has an m stays one
    assert full_name(placed((0.3, 0.2, "Maria")), None, "MARIA", truncated=False).text == "Maria"  # type: ignore[union-attr]


def test_a_page_read_twice_gives_the_reading_that_shows_the_marks() -> None:
    # the page pass read the name without Polish letters (more surely), the closer look with them
    # (`ocr.visual_zone`); both spell the MRZ name at no cost: the marks OCR dropped are the print's
    page = words("LECKA", "PAWEL")
    closer = words("", "", "", "ŁĘCKA", "PAWEŁ")
    page = [w.model_copy(update={"confidence": 0.97}) for w in page]
    both = page + [w.model_copy(update={"block": 10_000, "confidence": 0.92}) for w in closer]
    surname = full_name(both, None, "LECKA", truncated=False)
    assert surname is not None and surname.text == "ŁĘCKA"
    given = full_name(both, None, "PAWEL", truncated=False)
    assert given is not None and given.text == "PAWEŁ"


def test_the_next_fields_value_read_legibly_under_a_cut_name_is_taken_but_the_name_is_marked_wrapped() -> None:
    # a closer look reads the nationality under a cut given name as well as the name: nothing in the print
    # tells it from a second given name, so the name is marked as going on past the MRZ onto the line below
    # (the identity reader then sends it to review)
    legible = placed((0.3, 0.20, "OTZKAN"), (0.3, 0.24, "DEUTSCH"))
    found = full_name(legible, None, "OETZK", truncated=True)
    assert found is not None and found.text == "ÖTZKAN DEUTSCH" and found.wrapped


def test_the_nationality_under_a_short_given_name_is_not_its_end_where_the_column_is_wider() -> None:
    # regression (tuning diacritics 0012): `ÖTZKAN` over `DEUTSCH`, in a column that prints
    # `DÜRRENMATT-ÜBERLINGER` above them: `DEUTSCH` would have fit on the name's line, so it is not the name's end
    page = placed((0.3, 0.16, "DÜRRENMATT-ÜBERLINGER"), (0.3, 0.20, "ÖTZKAN"), (0.3, 0.24, "DEUTSCH"))
    found = full_name(page, None, "OETZKA", truncated=True)
    assert found is not None and found.text == "ÖTZKAN" and not found.wrapped


def test_of_two_readings_alike_the_one_in_the_holders_letters_is_taken() -> None:
    # regression (tuning name_lines 0017): the page pass read Czech `HÁJEK` as `HÄJEK`, the closer look in
    # Czech as `HÁJEK`; Czech writes no Ä
    page = words("HÄJEK") + [w.model_copy(update={"block": 10_000}) for w in words("", "HÁJEK")]
    found = full_name(page, None, "HAJEK", truncated=False, alphabet=ALPHABETS["CZE"])
    assert found is not None and found.text == "HÁJEK"


TURKISH_PLAIN = frozenset("CGIOSU")  # the MRZ letters a Turkish name may print with a mark


def readings_of(page: list[Word], mrz: str) -> list[PrintedName]:
    return printed_readings(page, None, mrz, truncated=False, slips=True, alphabet=ALPHABETS["TUR"])


def test_a_mark_one_reading_shows_is_put_into_the_name_another_reads_plain_and_the_name_is_doubted() -> None:
    # the page pass read `OZDEMIR-CELIKKIRAN`, the name line read alone `ÖZDEMIR-CELIKKIRAM` (a slip: ranked
    # after the first); the Ö the second shows goes into the first, and the readings disagree
    page = words("OZDEMIR-CELIKKIRAN") + [w.model_copy(update={"block": 10_000}) for w in words("ÖZDEMIR-CELIKKIRAM")]
    found = readings_of(page, "OZDEMIR CELIKKIRAN")
    assert found[0].text == "OZDEMIR-CELIKKIRAN"
    marked, disputed = disputed_marks(found[0], found, "OZDEMIR CELIKKIRAN", TURKISH_PLAIN, ALPHABETS["TUR"])
    assert marked == "ÖZDEMIR-CELIKKIRAN" and disputed


def test_a_cedilla_read_as_a_g_is_a_c_with_a_cedilla_where_the_holders_alphabet_writes_one() -> None:
    # regression (tuning diacritics 0015): `GELIKKIRAN` for `ÇELIKKIRAN`; the MRZ's C says the letter is a C,
    # the G that something hangs from it; still a slip (the name goes to review)
    page = words("GELIKKIRAN", "Hangerli")
    found = full_name(page, None, "CELIKKIRAN", truncated=False, slips=True, alphabet=ALPHABETS["TUR"])
    assert found is not None and found.text == "ÇELIKKIRAN" and found.slips == 1
    lower = full_name(page, None, "HANCERLI", truncated=False, slips=True, alphabet=ALPHABETS["TUR"])
    assert lower is not None and lower.text == "Hançerli"
    for alphabet in (None, ALPHABETS["CZE"]):  # no Ç in the holder's letters: the MRZ's C
        plain = full_name(page, None, "CELIKKIRAN", truncated=False, slips=True, alphabet=alphabet)
        assert plain is not None and plain.text == "CELIKKIRAN"
    assert full_name(page, None, "CELIKKIRAN", truncated=False, alphabet=ALPHABETS["TUR"]) is None  # a slip


def test_a_cedilla_read_as_a_g_beside_a_plain_reading_puts_the_mark_in_and_the_name_in_doubt() -> None:
    page = words("HANCER") + [w.model_copy(update={"block": 10_000}) for w in words("HANGER")]
    found = readings_of(page, "HANCER")
    marked, disputed = disputed_marks(found[0], found, "HANCER", TURKISH_PLAIN, ALPHABETS["TUR"])
    assert found[0].text == "HANCER" and marked == "HANÇER" and disputed


def test_readings_that_agree_or_differ_where_no_mark_may_stand_are_no_dispute() -> None:
    page = words("KOCKAN") + [w.model_copy(update={"block": 10_000}) for w in words("KOCKAM", "lSIN")]
    found = readings_of(page, "KOCKAN")
    assert len(found) == 2  # `KOCKAM` differs at the N: no Turkish letter is spelt N
    assert disputed_marks(found[0], found, "KOCKAN", TURKISH_PLAIN, ALPHABETS["TUR"]) == ("KOCKAN", False)
    isin = readings_of(page, "ISIN")  # a bar for a capital I is no mark
    assert disputed_marks(isin[0], isin, "ISIN", TURKISH_PLAIN, ALPHABETS["TUR"]) == ("ISIN", False)
    # a German holder: the MRZ spells Ö as OE, no plain letter there stands for a marked one
    german = words("KOHLER") + [w.model_copy(update={"block": 10_000}) for w in words("KÖHLER")]
    found = printed_readings(german, None, "KOEHLER", truncated=False, slips=True)
    assert disputed_marks(found[0], found, "KOEHLER", frozenset(), None) == ("KÖHLER", False)


def test_the_dot_of_a_capital_i_another_reading_shows_is_a_doubt_not_a_letter() -> None:
    # tesseract's Turkish gives a capital I a dot the print may not show (`ocr.visual_zone.INVENTED_MARKS`)
    page = words("CETINKAYA") + [w.model_copy(update={"block": 10_000}) for w in words("CETİNKAYE")]
    found = readings_of(page, "CETINKAYA")
    assert disputed_marks(found[0], found, "CETINKAYA", TURKISH_PLAIN, ALPHABETS["TUR"]) == ("CETINKAYA", True)


def test_a_lowercase_name_takes_the_mark_in_lower_case() -> None:
    page = words("Kockan") + [w.model_copy(update={"block": 10_000}) for w in words("Koçkam")]
    found = readings_of(page, "KOCKAN")
    assert disputed_marks(found[0], found, "KOCKAN", TURKISH_PLAIN, ALPHABETS["TUR"]) == ("Koçkan", True)


def test_a_plain_vowel_where_the_mrz_cuts_a_word_or_past_its_cut_may_have_lost_its_umlaut() -> None:
    # the MRZ spells Ö as OE: cut after the O, it cannot tell `DORTHE` from `DÖRTHE`; past the cut it tells nothing
    page = words("URSULA DORTHE")
    at_cut = full_name(page, None, "URSULA DO", truncated=True)
    assert at_cut is not None and at_cut.text == "URSULA DORTHE" and at_cut.past_cut == 4
    assert unconfirmed_umlauts(at_cut, sure=True)
    past = full_name(page, None, "URSULA D", truncated=True)
    assert past is not None and past.text == "URSULA DORTHE"
    assert unconfirmed_umlauts(past, sure=False) and not unconfirmed_umlauts(past, sure=True)
    confirmed = full_name(page, None, "URSULA DOERTHE", truncated=True)
    assert confirmed is not None and confirmed.text == "URSULA DÖRTHE" and not confirmed.past_cut
    assert not unconfirmed_umlauts(confirmed, sure=False)
    no_vowel = full_name(words("HILDEGARD"), None, "HILDEGAR", truncated=True)
    assert no_vowel is not None and not unconfirmed_umlauts(no_vowel, sure=False)


def test_a_mark_past_the_cut_another_reading_shows_is_put_into_the_name() -> None:
    # the reading that shows the Ö slipped before the cut (`URSOLA`): it loses to the plain one, which takes its Ö
    page = words("URSULA DORTHE") + [w.model_copy(update={"block": 10_000}) for w in words("", "URSOLA DÖRTHF")]
    found = printed_readings(page, None, "URSULA DO", truncated=True, slips=True)
    assert found[0].text == "URSULA DORTHE"
    assert marks_past_the_cut(found[0], found) == "URSULA DORTHE"  # `DÖRTHF` is not the same letters
    page += [w.model_copy(update={"block": 20_000}) for w in words("", "", "Ursola Dörthe")]
    found = printed_readings(page, None, "URSULA DO", truncated=True, slips=True)
    assert found[0].text == "URSULA DORTHE"
    assert marks_past_the_cut(found[0], found) == "URSULA DÖRTHE"


def test_a_mark_the_mrz_spells_is_no_dispute() -> None:
    # a Turkish holder's German permit spells Ü as UE: `GUNDOGDU` read plain has its Ü put back by the MRZ
    page = words("GUNDOGDU") + [w.model_copy(update={"block": 10_000}) for w in words("GÜNDOGDY")]
    found = readings_of(page, "GUENDOGDU")
    assert found[0].text == "GÜNDOGDU"
    assert disputed_marks(found[0], found, "GUENDOGDU", TURKISH_PLAIN, ALPHABETS["TUR"]) == ("GÜNDOGDU", False)
