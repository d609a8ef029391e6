"""Spoken forms to written forms, with every character traced back to its word."""

from __future__ import annotations

import pytest

from transcripts.redaction.spoken import normalize

CASES = [
    ("my card is four one one one one one one one one one one one one one one one", "my card is 4111111111111111"),
    ("the code is oh one double two", "the code is 0122"),
    ("triple seven nine", "7779"),
    ("born in eighteen forty two", "born in 1842"),
    ("March fourteenth nineteen sixty two", "March 14th 1962"),
    ("on the twenty first of June", "on the 21st of June"),
    ("P as in Peter", "P"),
    ("email r dot alvarez at gmail dot com please", "email r.alvarez@gmail.com please"),
    ("one hundred and twenty three Main Street", "123 Main Street"),
    ("twenty twenty four", "2024"),
    ("nineteen oh five", "1905"),
    ("seven three seven.", "737."),
    ("it's m dot okafor eighty one at gmail dot com", "it's m.okafor81@gmail.com"),
    ("my router says one ninety eight dot fifty one dot one hundred dot seven.", "my router says 198.51.100.7."),
    ("use northwindhealth dot com slash member instead", "use northwindhealth.com/member instead"),
    ("six one four, five five five, oh one four two.", "6145550142."),
    ("the last four are 6789", "the last four are 6789"),
    ("I have two kids", "I have two kids"),
    ("see you at five o clock", "see you at five o clock"),
    ("meet me at the station", "meet me at the station"),
    ("my birthday is three nineteen, uh, ninety four", "my birthday is 3/19/94"),  # month, day, year numbers
    ("the five one two nineteen ninety pizza", "the 512 1990 pizza"),  # no birth word or month: no date
    ("City? four eighteen Serramonte, unit, uh, twelve.", "City? 418 Serramonte, unit, uh, 12."),
    ("it's one eighteen calle del sol", "it's 118 calle del sol"),
    ("one twenty fifth street", "125th street"),
    ("metformin a thousand milligrams, lamotrigine a hundred and fifty", "metformin 1000 milligrams, lamotrigine 150"),
    ("A as in apple, zero three, uh, seven seven", "A 0377"),
    ("the second one y as in yellow", "the 2nd one Y"),
    ("seven seven two oh, uh, thirty nine forty one", "7720, uh, 3941"),
    ("says one nine two dot one six eight, uh, dot one dot one.", "says 192.168.1.1."),
]


def test_a_birth_date_read_back_in_the_next_turn_takes_its_context_from_the_turn_before():
    assert normalize("eleven nine ninety".split(), "and your date of birth".split()).text == "11/9/90"
    assert normalize("eleven nine ninety".split()).text == "11 nine 90"


@pytest.mark.parametrize("spoken,written", CASES)
def test_spoken_to_written(spoken, written):
    assert normalize(spoken.split()).text == written


def test_every_character_maps_back_to_its_words():
    words = "card four one one one ends, email r dot alvarez at gmail dot com".split()
    norm = normalize(words)
    assert norm.text == "card 4111 ends, email r.alvarez@gmail.com"
    start = norm.text.index("4111")
    assert norm.words_of(start, start + 4) == [1, 2, 3, 4]  # "four one one one"
    at = norm.text.index("r.alvarez")
    assert norm.words_of(at, len(norm.text)) == list(range(7, 14))
    assert [words[i] for i in norm.words_of(0, 4)] == ["card"]
    unmapped = [i for i, ch in enumerate(norm.text) if ch != " " and not norm.words_of(i, i + 1)]
    assert unmapped == []


def test_a_short_written_form_covers_every_word_it_came_from():
    words = "it's P as in Peter, then K".split()
    norm = normalize(words)
    assert norm.text == "it's P, then K"
    assert norm.words_of(norm.text.index("P"), norm.text.index("P") + 1) == [1, 2, 3, 4]


def test_a_spoken_number_stops_at_the_end_of_a_sentence():
    assert normalize("three oh eight. Three zero eight. Two ten".split()).text == "308. 308. Two 10"
    assert normalize("oh five ten, fifty one hundred".split()).text == "05 10, 5100"


def test_no_email_after_a_determiner_or_before_a_path():
    assert normalize("track the wire at harborviewbank dot com slash wires".split()).text == \
        "track the wire at harborviewbank.com/wires"


def test_nato_letters_beside_digits_but_not_the_month():
    assert normalize("kilo four two oh".split()).text == "K 420"
    assert normalize("november 2028".split()).text == "november 2028"
