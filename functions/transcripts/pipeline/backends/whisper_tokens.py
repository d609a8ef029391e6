"""The text-to-tokens half of Whisper's tokenizer, repaired where its merge list lost a merge.

The whisper-base `tokenizer.json` this project ships (in the model's package) lacks the first
byte-pair merge, `Ġ t` (token 256, `Ġt`): every word that begins with "t" after a space is
encoded as a bare space token and the word without it (" the" -> " ", "the"; " tracking" -> " ",
"tr", "acking"), token sequences the model never saw in training. Decoding token ids is
unaffected, and batch conditions on the ids it generated, but a stream re-encodes its final text
as the prompt and the forced prefix of every decode, and batch encodes the vocabulary prompt. Fed that prefix, the decoder copied the
pattern and wrote a bare space and a word piece ("yesterday nd the", "almost nd", "window nd
attack tually opens"; README, run L).

In GPT-2's byte-level BPE, which Whisper's tokenizer is, token 256 + k is the product of merge k,
so a merge that is missing from the list is found, and put back at its rank, from the vocabulary
alone: no download, and a tokenizer whose merges are whole is returned unchanged.
"""

from __future__ import annotations

import json
import threading

FIRST_MERGED = 256  # ids below are the 256 byte tokens
_cache: dict[int, tuple[object, object]] = {}  # id(the model's tokenizer) -> (it, its repair)
_lock = threading.Lock()


def repaired_once(hf_tokenizer):
    """`repaired()`, once per tokenizer object: each session builds its decoder, the model (and
    its tokenizer) is the process's (0.3 s a repair saved per session)."""
    with _lock:
        hit = _cache.get(id(hf_tokenizer))
        if hit is None or hit[0] is not hf_tokenizer:
            hit = _cache[id(hf_tokenizer)] = (hf_tokenizer, repaired(hf_tokenizer))
        return hit[1]


def repaired(hf_tokenizer):
    """`hf_tokenizer` (a `tokenizers.Tokenizer`) with every missing merge restored, or itself when
    none is missing or the model is not a byte-level BPE laid out as GPT-2's."""
    from tokenizers import Tokenizer

    data = json.loads(hf_tokenizer.to_str())
    model = data.get("model", {})
    vocab, merges = model.get("vocab"), model.get("merges")
    if model.get("type") != "BPE" or not vocab or not merges:
        return hf_tokenizer
    pairs = [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in merges]
    missing = missing_merges(vocab, pairs)
    if not missing:
        return hf_tokenizer
    for rank, pair in missing:
        pairs.insert(rank, pair)
    model["merges"] = [" ".join(p) for p in pairs] if isinstance(merges[0], str) else [list(p) for p in pairs]
    return Tokenizer.from_str(json.dumps(data))


def missing_merges(vocab: dict[str, int], pairs: list[tuple[str, str]]) -> list[tuple[int, tuple[str, str]]]:
    """(rank, pair) of each merge whose product, a token among the merged ids, no merge in
    `pairs` makes; empty unless, with them restored, every merge k makes token 256 + k (GPT-2's
    layout): otherwise nothing is guessed."""
    token = {i: t for t, i in vocab.items()}
    made = {a + b for a, b in pairs}
    out = []
    for i in range(FIRST_MERGED, FIRST_MERGED + len(pairs) + 1):
        text = token.get(i)
        if not text or text in made:
            continue
        split = next(((text[:k], text[k:]) for k in range(1, len(text))
                      if vocab.get(text[:k], i) < i and vocab.get(text[k:], i) < i), None)
        if split is not None:  # else not a merge's product (a special token): nothing to restore
            out.append((i - FIRST_MERGED, split))
    restored = list(pairs)
    for rank, pair in out:
        restored.insert(rank, pair)
    if any(vocab.get(a + b) != FIRST_MERGED + k for k, (a, b) in enumerate(restored)):
        return []
    return out
