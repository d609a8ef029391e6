"""The redaction engine on the labelled call transcripts, and how found entities become
tokens and time ranges."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from transcripts.redaction.apply import redact_words, time_ranges, turns_from

sys.path.insert(0, str(Path(__file__).parent / "redaction_set"))
from labels import load, load_all  # noqa: E402


def _w(word, start, end):
    return {"word": word, "start": start, "end": end, "confidence": 0.9}


def test_one_token_per_span_keeping_times_and_punctuation():
    words = [_w("card", 0, 0.4), _w("4111", 0.5, 1.0), _w("1111.", 1.0, 1.5), _w("Thanks,", 2.0, 2.3),
             _w("John", 2.4, 2.7), _w("Smith.", 2.7, 3.0)]
    out = redact_words(words, [None, "pci", "pci", None, "pii", "pii"], {"pci", "pii"}, duration=3.02)
    assert [w["word"] for w in out.words] == ["card", "[PCI].", "Thanks,", "[PII]."]
    assert (out.words[1]["start"], out.words[1]["end"]) == (0.5, 1.5)
    assert out.ranges == [{"entity": "pci", "start": 0.45, "end": 1.55}, {"entity": "pii", "start": 2.35, "end": 3.02}]


def test_only_requested_classes_and_never_across_speakers():
    words = [_w("Jo", 0, 1), _w("Ann", 1, 2), _w("Smith", 2, 3)]
    out = redact_words(words, ["pii", "pii", "pii"], {"pii"}, 3.0, speakers=[0, 0, 1])
    assert [w["word"] for w in out.words] == ["[PII]", "[PII]"] and out.speakers == [0, 1]
    kept = redact_words(words, ["pii", "pii", "pii"], {"pci"}, 3.0)
    assert [w["word"] for w in kept.words] == ["Jo", "Ann", "Smith"] and kept.ranges == []


def test_ranges_merge_within_a_class_and_meet_halfway_between_classes():
    assert time_ranges([("pci", 1.0, 2.0), ("pci", 2.2, 3.0)], 10) == [{"entity": "pci", "start": 0.95, "end": 3.05}]
    assert time_ranges([("pci", 1.0, 2.0), ("pii", 2.05, 3.0)], 10) == [
        {"entity": "pci", "start": 0.95, "end": 2.025}, {"entity": "pii", "start": 2.025, "end": 3.05}]


def test_turns_follow_speakers_or_pauses():
    words = [_w("a", 0, 1), _w("b", 1.1, 2), _w("c", 4, 5)]
    assert turns_from(words, None) == [0, 0, 1]
    assert turns_from(words, [0, 1, 1]) == [0, 1, 1]


@pytest.fixture(scope="module")
def redactor():
    from transcripts.redaction.engine import Redactor

    return Redactor()


def _pairs(redactor, transcripts):
    pairs = []
    for t in transcripts:
        words = [w for turn in t.turns for w in turn.words]
        turns = [k for k, turn in enumerate(t.turns) for _ in turn.words]
        truth = [lab for turn in t.turns for lab in turn.labels]
        labels = redactor.label(words, turns)
        pairs += list(zip(truth, [lab.cls if lab else None for lab in labels]))
    return pairs


def _precision_recall(pairs, cls):
    tp = sum(t == cls and p == cls for t, p in pairs)
    return tp / max(1, sum(p == cls for _, p in pairs)), tp / max(1, sum(t == cls for t, _ in pairs))


def test_development_set_meets_the_targets(redactor):
    """Word level, on the transcripts the rules were written against (bench/redaction.py
    reports the held-out one too)."""
    dev = [t for t in load_all(Path(__file__).parent / "redaction_set") if not t.name.startswith("heldout")]
    assert sum(len(t.entities) for t in dev) >= 200
    pairs = _pairs(redactor, dev)
    for cls, min_precision, min_recall in (("pii", 0.90, 0.95), ("pci", 0.90, 0.95), ("phi", 0.90, 0.85)):
        precision, recall = _precision_recall(pairs, cls)
        assert precision >= min_precision and recall >= min_recall, (cls, precision, recall)


def test_spoken_forms_and_context(redactor):
    turns = [("agent", "And the security code on the back?"), ("caller", "Uh, hang on... seven three seven."),
             ("agent", "Email for the receipt?"), ("caller", "it's r dot alvarez at gmail dot com"),
             ("caller", "my husband, dave, set it up. He was born March fourteenth nineteen sixty two."),
             ("agent", "That is two refills, forty five dollars, press one.")]
    words, ids = [], []
    for k, (_, text) in enumerate(turns):
        words += text.split()
        ids += [k] * len(text.split())
    got = {w: (lab.entity if lab else None) for w, lab in zip(words, redactor.label(words, ids))}
    assert got["seven"] == got["three"] == "CARD_CVV"
    assert got["alvarez"] == got["gmail"] == "EMAIL_ADDRESS"
    assert got["dave,"] == "PERSON"
    assert got["fourteenth"] == got["sixty"] == "DATE_OF_BIRTH"
    assert got["refills,"] is None and got["dollars,"] is None and got["one."] is None and got["forty"] is None


def test_drug_dictionary_is_checked_before_unpickling(monkeypatch):
    from transcripts.redaction import engine

    monkeypatch.setattr(engine, "DRUG_DICTIONARY_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="sha256"):
        engine.load_medications()


def _entities(redactor, *turns: str) -> list[tuple[str, str | None]]:
    words, ids = [], []
    for k, text in enumerate(turns):
        words += text.split()
        ids += [k] * len(text.split())
    return [(w, lab.entity if lab else None) for w, lab in zip(words, redactor.label(words, ids))]


def _found(pairs, entity):
    return [w for w, e in pairs if e == entity]


def test_a_capitalised_word_after_a_title_and_a_month_before_a_surname_are_names(redactor):
    """"Dr." ends a title, not a sentence; a surname English also knows (WordNet lists Moynihan,
    and "walker" is a mobility aid) is still a name after one; a month can be a first name."""
    got = _entities(redactor, "I came off it last September with Dr. Moynihan, I've been fine.",
                    "zopiclone helps, but Dr Walker only gave me a week.",
                    "Thank you for calling. My name is Jun Hao. How can I help?")
    assert {"Moynihan,", "Walker", "Jun", "Hao."} <= set(_found(got, "PERSON"))
    other = _entities(redactor, "In May, Smith fixed the walker. She said it on the phone. Mr. Price called.")
    assert _found(other, "PERSON") == ["Smith", "Price"]  # not "May," nor the walker


def test_a_reference_number_is_no_payment_data_and_ends_the_question_before_it(redactor):
    """A transaction or confirmation number said after a card or PIN question is announced as
    what it is: redacted under pii and phi (Safe Harbor's "any other unique identifying number"),
    not taken as the card or PIN, and what follows it is no longer read as the PIN's answer."""
    from transcripts.redaction import policy

    got = _entities(redactor, "And should I give the ATM PIN for this?", "No, never. Enter it on the keypad.",
                    "Thank you. The payment is successful. Transaction ID is 7762 0041 9988.",
                    "And your confirmation number is 88412.")
    assert set(_found(got, "REFERENCE_NUMBER")) == {"7762", "0041", "9988.", "88412."}
    assert policy.token_class("REFERENCE_NUMBER", {"pci"}) is None
    assert policy.token_class("REFERENCE_NUMBER", {"pii"}) == "pii" and policy.token_class("REFERENCE_NUMBER", {"phi"}) == "phi"


def test_a_card_shaped_number_on_a_card_call_is_the_card_whatever_was_asked_before(redactor):
    """A hospital billing call (the seventeenth held-out set, spent once scored): the member id and
    the claim number are asked, then the caller pays "on my card". The 16 digits that follow, a
    Visa's shape (failing Luhn, as a misheard card does), false start included, were typed a health
    plan's id and left to `phi`: `pci` alone showed the card whole. Now they are the card's."""
    call = load(Path(__file__).parent / "redaction_set" / "heldout_i12.txt")
    turns = call.turns[:26]
    got = _entities(redactor, *(" ".join(turn.words) for turn in turns))
    assert "".join(got[k][0] for k in range(2)) == "".join(turns[0].words[:2])
    first = sum(len(turn.words) for turn in turns[:23])  # the caller's card and the agent's read-back
    end = first + len(turns[23].words) + len(turns[24].words)
    digits = ("four", "one", "seven", "two", "oh", "five", "nine", "three", "six", "eight")
    said = [(w, e) for w, e in got[first:end] if w.strip(".,").lower() in digits]
    assert len(said) >= 39 and all(e == "CREDIT_CARD" for w, e in said if w != "one."), said


def test_lower_case_names_from_the_census_list_and_the_surname_after_them(redactor):
    got = _entities(redactor, "yeah gloria at your walk-in counter added me", "hi it's rebecca kowalski-nunes. Thanks",
                    "we will mark it and grace will call")
    assert _found(got, "PERSON") == ["gloria", "rebecca", "kowalski-nunes."]  # "mark", "grace", "will" are words


def test_english_words_know_inflections_but_not_surnames(redactor):
    words = redactor.common_words
    assert all(w in words for w in ("told", "recommended", "they'll", "clinics", "stopped"))
    assert not any(w in words for w in ("oduya", "kowalski", "okafor"))


def test_a_spelled_word_and_the_word_it_spells(redactor):
    got = _entities(redactor, "for me it's tamika oduya like o d u y a okay",
                    "Sure. Kilo, Oscar, Whiskey, Alpha, Lima, Sierra, Kilo, India.",
                    "the last name? M-W-A-N-G-I, dash, C-L-A-R-K-E. Thank you")
    people = _found(got, "PERSON")
    assert {"oduya", "o", "d", "u", "y", "a"} <= set(people)
    assert {"Kilo,", "Oscar,", "Whiskey,", "Alpha,", "Lima,", "Sierra,", "India."} <= {w for w, e in got if e}
    assert {"M-W-A-N-G-I,", "dash,", "C-L-A-R-K-E."} <= set(people) and "Thank" not in people


def test_letters_beside_digits_are_a_code_not_a_spelling(redactor):
    got = _entities(redactor, "okay member id h x k nine two two four one")
    assert [w for w, e in got if e == "HEALTH_PLAN_ID"] == ["h", "x", "k", "nine", "two", "two", "four", "one"]


def test_street_shapes(redactor):
    got = _entities(redactor, "Is your address still 418 West 129th Street, Apt. 5F, New York, NY?",
                    "it's twenty one hundred Highway 9, unit B, Boulder Creek, California",
                    "the new one? rua das flores 28, third floor, lisbon, postal code 1200-195, portugal. Until June")
    street = _found(got, "STREET_ADDRESS")
    assert street == ["418", "West", "129th", "Street,", "Apt.", "5F,", "twenty", "one", "hundred", "Highway", "9,",
                      "unit", "B,", "rua", "das", "flores", "28,", "third", "floor,"]
    assert {"lisbon,", "portugal.", "Boulder", "California"} <= set(_found(got, "LOCATION"))
    assert "Until" not in _found(got, "LOCATION") and _found(got, "ZIP_CODE") == ["1200-195,"]


def test_a_short_value_read_back_right_after_it(redactor):
    got = _entities(redactor, "And the three digits on the back?", "three oh eight.", "Three zero eight. Two ten on the card")
    assert _found(got, "CARD_CVV") == ["three", "oh", "eight.", "Three", "zero", "eight."]
    assert dict(got)["Two"] is None


def test_health_dates_and_procedures_in_lay_words(redactor):
    got = _entities(redactor, "i was in the er last tuesday and i had my gallbladder out back in 2021",
                    "the two dates of service, oh seven nineteen in the emergency room",
                    "she did a CT of my abdomen and an MRI of the lumbar spine for my whiplash injury",
                    "no, it's just local anesthetic, and the date of the surgery is fine")
    assert _found(got, "HEALTH_DATE")[:3] == ["last", "tuesday", "2021"]
    assert ["oh", "seven", "nineteen"] == _found(got, "HEALTH_DATE")[3:]
    procedures = _found(got, "MEDICAL_PROCEDURE")
    assert procedures == ["gallbladder", "out", "CT", "of", "my", "abdomen", "MRI", "of", "the", "lumbar", "spine"]
    assert _found(got, "MEDICAL_CONDITION") == ["whiplash", "injury"]
    assert dict(got)["local"] is None and dict(got)["surgery"] is None


def test_capitalised_places_are_not_conditions_and_codes_are_not_places(redactor):
    got = _entities(redactor, "mail it to 310 Kestrel Court, Tacoma, Washington 98402.",
                    "The ID number is WQT908817342. Let me read it back")
    assert dict(got)["Tacoma,"] == "LOCATION" and dict(got)["98402."] == "ZIP_CODE"
    assert dict(got)["WQT908817342."] == "NATIONAL_ID"  # "ID number" on a call with no care words (care_only_cues.txt)


def test_unknown_words_of_a_lower_case_turn_get_a_capital_for_the_nlp_model(redactor):
    from transcripts.redaction.names import capitalise_unknown

    common, medical = redactor.common_words, redactor.medical_words
    assert capitalise_unknown("yeah arjun he's on my plan for flonase", common, medical) == \
        "yeah Arjun he's on my plan for flonase"
    assert capitalise_unknown("Yes, arjun is on it", common, medical) == "Yes, arjun is on it"  # edited text: as is
    assert _found(_entities(redactor, "just talk to teo he knows all my stuff"), "PERSON") == ["teo"]


def test_a_corrected_value_and_an_answer_after_an_interruption(redactor):
    got = _entities(redactor, "and the expiration", "oh nine twenty seven no oh nine twenty eight sorry",
                    "and the security code on the back", "okay sorry one sec my son is here putting stuff away",
                    "he's grabbing everything okay seven three seven")
    assert _found(got, "CARD_EXPIRY") == ["oh", "nine", "twenty", "seven", "oh", "nine", "twenty", "eight"]
    assert _found(got, "CARD_CVV") == ["seven", "three", "seven"]


def test_the_town_after_in_and_dictionary_entries_that_are_not_drugs(redactor):
    got = _entities(redactor, "it's twelve larkspur court in elk grove nine five seven five seven",
                    "thursday at ten with our therapist")
    assert _found(got, "LOCATION") == ["elk", "grove"]
    assert dict(got)["ten"] is None


def test_codes_said_with_nato_letters_and_dashes(redactor):
    got = _entities(redactor, "okay and your driver's license", "kilo four two oh dash five five one two dash three niner eight",
                    "and the passport number", "papa delta three three eight one two two four")
    assert _found(got, "US_DRIVER_LICENSE") == "kilo four two oh dash five five one two dash three niner eight".split()
    assert _found(got, "US_PASSPORT") == "papa delta three three eight one two two four".split()


def test_lower_case_states_towns_and_chicago_streets(redactor):
    got = _entities(redactor, "it's fifteen oh nine north kedzie unit four c chicago illinois six oh six one eight")
    assert _found(got, "STREET_ADDRESS") == "fifteen oh nine north kedzie unit four c".split()
    assert _found(got, "LOCATION") == ["chicago", "illinois"]
    assert _found(got, "ZIP_CODE") == "six oh six one eight".split()


def test_a_phone_number_in_pieces_and_an_oh_that_is_a_sigh(redactor):
    got = _entities(redactor, "and a phone number", "it's three one two five five five okay oh one four two",
                    "and the security code", "seven three one oh and the pin is not needed")
    assert _found(got, "PHONE_NUMBER") == "three one two five five five oh one four two".split()
    assert _found(got, "CARD_CVV") == ["seven", "three", "one"]


def test_a_digit_fixed_by_its_place_and_a_checksum_broken_routing_number(redactor):
    got = _entities(redactor, "and the last four of your social", "four four eight one. no, sorry, the third one is a seven.",
                    "and the routing number", "one zero one one zero zero zero seven six")
    assert _found(got, "US_SSN") == ["four", "four", "eight", "one.", "seven."]
    assert _found(got, "ABA_ROUTING_NUMBER") == "one zero one one zero zero zero seven six".split()


def test_a_long_question_is_answered_by_the_next_turn(redactor):
    got = _entities(redactor, "And was there a passport before this one? Sometimes if it's the second renewal we ask "
                              "for the previous one too, it helps us find your file faster.",
                    "Um, yeah, I still have the old one, they punched holes in it. It's five one eight, two two six, "
                    "double oh nine.")
    assert _found(got, "US_PASSPORT") == "five one eight, two two six, double oh nine.".split()


def test_a_birth_date_in_numbers_the_city_asked_for_and_a_drug_the_dictionary_lacks(redactor):
    got = _entities(redactor, "and your birthday?", "eleven nine ninety", "And the city?", "santa fe eight seven five oh seven",
                    "she's on Gonal-F three hundred units at night and my son Tobi helps")
    assert _found(got, "DATE_OF_BIRTH") == ["eleven", "nine", "ninety"]
    assert _found(got, "LOCATION") == ["santa", "fe"]
    assert _found(got, "ZIP_CODE") == "eight seven five oh seven".split()
    assert _found(got, "MEDICATION") == "Gonal-F three hundred units at night".split()
    assert "Tobi" in _found(got, "PERSON")  # the TOBI inhaler's name, after "my son"


def test_a_name_before_a_strength_and_its_schedule_is_a_drug_on_a_care_call(redactor):
    """Brands no dictionary holds, written as English words: the strength and when to take it make
    them a medication; a clock time and one pill do not."""
    care = "The doctor at the clinic changed my prescription after the surgery; the appointment for the follow-up scan is booked."
    got = _entities(redactor, care, "First is Eco spring 75 once daily. Fourth, Met XL 25 once in the morning.",
                    "And Pan forty before breakfast, for the stomach.",
                    "She takes one a day. I got home at like eleven at night. I walk 3 times a week.")
    meds = _found(got, "MEDICATION")
    assert "Eco spring 75 once daily. Met XL 25 once in the morning.".split() == meds[:12]
    assert "Pan forty before breakfast,".split() == meds[12:16]
    assert not {"takes", "one", "eleven", "walk", "3"} & set(meds)
    off_care = _entities(redactor, "First is Pan 40 before breakfast.")  # a call about nothing medical
    assert not _found(off_care, "MEDICATION")  # ("Eco spring" sounds like Ecosprin: a drug by sound anywhere)


def test_a_follow_up_asks_the_last_questions_again(redactor):
    got = _entities(redactor, "I need the passports for all of you. Shall we start with your dad?",
                    "his is P three four eight eight two one zero A.", "Thank you. And his date of birth?",
                    "third of May, nineteen fifty-one.", "Thank you. And yours?",
                    "mine's the british one now. it's five three one, two oh seven, niner four six. "
                    "birthday is the twenty second of july eighty four")
    assert _found(got, "US_PASSPORT")[-9:] == "five three one, two oh seven, niner four six.".split()
    assert _found(got, "DATE_OF_BIRTH")[-6:] == "twenty second of july eighty four".split()


def test_a_noun_of_an_action_after_a_medical_word_heads_a_procedure_on_a_care_call(redactor):
    """"root canal treatment", "a foot examination", "PD catheter insertion": WordNet's nouns made of
    verbs ("treat", "examine", "insert") head a procedure after a procedure, a condition or a body
    part; places and paperwork spelled like actions do not ("the ultrasound department")."""
    care = "The doctor at the clinic changed my prescription after the surgery; the appointment for the follow-up scan is booked."
    got = _entities(redactor, care, "It will probably be root canal treatment and then a crown.",
                    "She will do a foot examination next week, and a polyp removal after.",
                    "He had a blood transfusion on the 17th.",
                    "Please go down to the ultrasound department now.")
    procedures = _found(got, "MEDICAL_PROCEDURE")
    assert {"canal", "treatment", "foot", "examination", "polyp", "removal", "blood", "transfusion"} <= set(procedures)
    assert "department" not in procedures
    off_care = _entities(redactor, "It will probably be root canal treatment and then a crown.")
    assert "treatment" not in _found(off_care, "MEDICAL_PROCEDURE")


def test_a_dose_schedule_takes_the_recognisers_homophones_and_when_needed(redactor):
    care = "The doctor at the clinic changed my prescription after the surgery; the appointment for the follow-up scan is booked."
    got = _entities(redactor, care, "hydromorphone 1 mg every for hours as needed, and ticagrelor 90 milligram to times a day.",
                    "Ventolin two puffs when needed, and estrogel two pumps daily.",
                    "I went there for hours. We met to talk.")
    assert _found(got, "MEDICATION") == ("hydromorphone 1 mg every for hours as needed, ticagrelor 90 milligram to times a "
                                         "day. Ventolin two puffs when needed, estrogel two pumps daily.").split()


def test_a_drug_name_heard_as_english_words_is_matched_by_its_sound(redactor):
    """Metaphone keys: "Flag ill" is Flagyl and "new row fen" Nurofen, though their letters differ
    too much for the spelling match; a strength before its schedule counts as a dose. Only right
    before a dose, and not with a function word last ("she goes in at 6 in the morning")."""
    got = _entities(redactor, "And you also got Flag ill 500 three times a day? I finished that.",
                    "Next is the new row fen 200 milligrams twice a day.",
                    "I went to the black hole 500 times. She goes in at 6 in the morning.")
    assert _found(got, "MEDICATION") == ("Flag ill 500 three times a day? new row fen 200 milligrams twice a "
                                         "day.").split()


def test_an_organ_gone_wrong_before_its_side_and_body_part_is_a_condition(redactor):
    got = _entities(redactor, "I have an underactive thyroid and he fixed a torn medial meniscus last year.",
                    "She has a perforated appendix. We enlarged the photo.")
    conditions = _found(got, "MEDICAL_CONDITION")
    assert {"underactive", "thyroid", "torn", "medial", "meniscus", "perforated", "appendix."} <= set(conditions)
    assert not {"enlarged", "photo."} & set(conditions)


def test_a_condition_before_a_procedure_head_is_a_procedure_with_its_head(redactor):
    """The head of an English compound names what it is: "your HIV test", "the chlamydia swab", "his
    pacemaker check" are procedures, the head included, on a call about care."""
    care = "The doctor at the clinic changed my prescription after the surgery; the appointment for the follow-up scan is booked."
    got = _entities(redactor, care, "Your HIV test came back, and the chlamydia swab was positive.",
                    "He is due for his pacemaker check on Monday.")
    procedures = _found(got, "MEDICAL_PROCEDURE")
    assert {"HIV", "test", "chlamydia", "swab", "pacemaker", "check"} <= set(procedures)
    assert not {"HIV", "chlamydia"} & set(_found(got, "MEDICAL_CONDITION"))


def test_a_phone_said_three_times_after_the_card_is_no_card(redactor):
    """Luhn says nothing outside a card's 13-19 digits (one number in ten passes it): a phone said
    three times after "I've lost the card" is 33 digits, no card, and stays off pci."""
    got = _entities(redactor, "What's the ward's number again? I've lost the card.",
                    "It's oh one nine two four, five five one, one oh four.",
                    "Oh one nine two four, five five one, one four oh?",
                    "No, it ends one oh four. So oh one nine two four, five five one, one oh four.")
    assert not _found(got, "CREDIT_CARD")
    assert "nine" in _found(got, "PHONE_NUMBER")


def test_a_number_that_holds_a_dates_digits_is_not_that_date_said_again(redactor):
    """A date's digits are a day, a month and a year: a phone said twice in one breath ("... eight
    eight two, oh one nine ...") holds "2019" across the join, and is still a phone, not the
    health date "twenty nineteen" read back."""
    got = _entities(redactor, "I had the knee surgery at the hospital in twenty nineteen, and the scan after it.",
                    "The ward is on oh one nine two four, five four one, eight eight two. oh one nine two four, "
                    "five four one, eight eight two.")
    assert "twenty" in _found(got, "HEALTH_DATE")
    assert not {"oh", "four,", "eight"} & set(_found(got, "HEALTH_DATE"))
    assert "nine" in _found(got, "PHONE_NUMBER")


def test_the_card_said_bare_is_the_card_named_just_before(redactor):
    """"The Medicare card number and his number on the card": "the card" is the Medicare card said
    just before, not a payment card; once paying by card is spoken of, "the card number" is one."""
    got = _entities(redactor, "It'll help, yes, the Medicare card number and his number on the card.",
                    "It's two four three eight, five one nine oh six, one, and he's the third one on the card.",
                    "And will you pay the gap by card today? What's the card number?",
                    "It's four one two two, five five one nine, three three oh two, seven seven one eight.")
    health = _found(got, "HEALTH_NUMBER")
    assert "two four three eight, five one nine oh six, one,".split() == health
    assert _found(got, "CREDIT_CARD") == "four one two two, five five one nine, three three oh two, seven seven one eight.".split()


def test_a_quantity_with_its_unit_answers_no_question(redactor):
    """"Two hundred and fifty thousand naira" after the card's expiry was asked is an amount, as the
    net already holds for a number before a unit or a currency: no question types it."""
    got = _entities(redactor, "And can you confirm the expiry date on the card, the blocked one?", "Oh nine, twenty-six.",
                    "Thank you. Now the transfer, you said yesterday?",
                    "Yes. Three hundred and twenty thousand rand to my brother's account.")
    assert _found(got, "CARD_EXPIRY") == ["Oh", "nine,", "twenty-six."]
    assert not {"Three", "hundred", "twenty", "thousand"} & {w for w, e in got if e}


def test_the_address_asked_after_the_card_ends_the_cards_question(redactor):
    """"Can you confirm the address?" asks for a postal address: its postcode is no piece of the
    card asked for before it, whatever card network's digits it starts with."""
    got = _entities(redactor, "I'm blocking the card now. The new card goes out today. Can you confirm the home address for me?",
                    "Flat three, twelve Orchard Crescent, Ashford, five three two, uh, one oh four.")
    assert not _found(got, "CREDIT_CARD")
    assert {"five", "two,", "four."} <= set(_found(got, "ZIP_CODE"))


def test_a_word_for_a_cards_first_digit_completes_the_card(redactor):
    """Whisper writes "4216 5503 ..." as "for 216, 5503, ...": the word is the card's first digit
    where only with it the digits make a card network's number; "for 216 dollars" stays a word."""
    got = _entities(redactor, "And which card will you use today?", "Visa. The number is for 216, 5503, 8127, 4900.",
                    "Thanks. And I paid for 216 dollars last time.")
    assert _found(got, "CREDIT_CARD") == ["for", "216,", "5503,", "8127,", "4900."]


def test_a_pin_broken_off_with_a_dash_is_still_the_pin(redactor):
    """Whisper writes speech cut off with a dash ("the PIN is 1 9—"): a pause, as "..." is, so the
    first digits of a short secret said before it are given away all the same."""
    got = _entities(redactor, "He asked for my PIN. I think the PIN is 1 9—", "Sir, please, never tell anyone your PIN.")
    assert _found(got, "CARD_PIN") == ["1", "9—"]
