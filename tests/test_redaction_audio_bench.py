"""The leak rule of bench/redaction_audio.py: what counts as an entity value left in the text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from redaction_audio import Reference, card_groups, entity_span, leak, tts_text, visible_groups  # noqa: E402

REF = Reference(frozenset({"scan", "head", "day"}))


@pytest.mark.parametrize("value, window, why", [
    ("4111 1111 1111 1111.", "It's a Visa [PCI].", None),
    ("4111 1111 1111 1111.", "It's a Visa 4111 [PCI].", "digits 4111"),
    ("four one one one", "ending in 4,111.", "digits 4111"),  # spoken on one side, written on the other
    ("352.", "three five two.", "digits 352"),
    ("(503) 555-0187.", "that is 503 [PII]", "digits 503"),
    ("B-R-A-N-D-T.", "that's B R A N D T.", "word brandt"),  # spelled letters joined
    ("Brandt", "that's Ms. Brant.", "word brandt~brant"),  # an ASR spelling
    ("C4KX7R2M9.", "passport is C4 KX7 R2M9", "code c4kx7r2m9"),
    ("CT scan of the head", "a [PHI], and a scan of the head", None),  # words said outside entities too
    ("fractured ankle", "he had a [PHI], a fractured", "word fractured"),
    ("Xarelto, 20 milligrams once a day.", "takes [PHI] once a day", None),
    ("Xarelto, 20 milligrams once a day.", "takes [PHI], 20 milligrams", None),  # a unit alone says nothing
    ("Eliquis five milligrams twice a day,", "the liquid 5 milligrams twice a day", "word twice"),
    ("Eliquis five milligrams twice a day,", "[PHI] 5 milligrams a day", None),
])
def test_leak_rule(value, window, why):
    assert leak(value.split(), window, REF) == why


def test_a_token_breaks_a_number():
    assert leak(["41111"], "41 [PCI] 111", REF) is None


def test_card_groups_visible_anywhere():
    groups = card_groups("4111 1111 1111 1881".split())
    assert groups == {"4111", "1111", "1881"}
    assert visible_groups(groups, "the card [PCI], ending in 1881.") == {"1881"}
    assert visible_groups(groups, "the card [PCI], ending in [PCI].") == set()


def test_identifier_digits_are_read_one_by_one():
    from labels import Turn

    turn = Turn("caller", ["It's", "4111", "1111.", "$1,000"], [None, "pci", "pci", None],
                [None, "card", "card", None])
    assert tts_text(turn) == "It's 4 1 1 1 1 1 1 1. $1,000"


def test_entity_span_falls_inside_its_turn():
    from labels import Entity, Transcript, Turn

    words = ["my", "name", "is", "Ann", "Lee", "thanks"]
    turn = Turn("caller", words, [None] * 3 + ["pii"] * 2 + [None], [None] * 3 + ["name"] * 2 + [None])
    call = Transcript("x", [turn], [Entity("pii", "name", 0, 3, 4)])
    start, end = entity_span(call, call.entities[0], (10.0, 16.0))
    assert 10.0 < start < end < 16.0


def test_heldout_calls_need_the_flag():
    from redaction_audio import pick_calls

    with pytest.raises(SystemExit, match="--heldout"):
        pick_calls(["dev_pharmacy", "heldout_tenth"], heldout=False)
    assert [p.stem for p in pick_calls(["dev_pharmacy"], heldout=False)] == ["dev_pharmacy"]


def test_wer_of_the_reference_itself_is_zero():
    from labels import load
    from redaction_audio import SET_DIR, wer

    call = load(SET_DIR / "dev_pharmacy.txt")
    text = " ".join(w for t in call.turns for w in t.words)
    errors, words = wer(call, {"text": text})
    assert errors == 0 and words > 100
    assert wer(call, {"text": text.replace("refills", "refuels")})[0] > 0


def test_shape_words_alone_are_no_leak_but_split_names_are():
    assert leak("77 Larkspur Drive,".split(), "shipping goes to [PII] Drive.", REF) is None
    assert leak(["rx.fabrikam.com/track."], "follow them at [PII] .com [PII].", REF) is None
    assert leak(["my.contosovirtualcare.com/visit."], "join at [PII] contoso virtual care", REF) \
        .startswith("word contosovirtualcare~contosovirtual")
    assert leak(["anjali_desai@protonmail.me."], "it's [PII] at proton mail dot me", REF) is None
