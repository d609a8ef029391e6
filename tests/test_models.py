"""The model registry and the backends behind one interface."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SAMPLE
from transcripts.models import REGISTRY, ModelUnavailable, locate_weights, served_models
from transcripts.pipeline.asr import AsrResult, DecodeSettings, ModelCache
from transcripts.pipeline.backends.qwen3 import to_asr_result
from transcripts.pipeline.decode import decode
from transcripts.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def test_registry_has_the_cpu_and_gpu_models():
    assert {"whisper-base", "whisper-large-v3-turbo", "qwen3-asr"} <= set(REGISTRY)
    assert REGISTRY["qwen3-asr"].backend == "qwen3-asr" and REGISTRY["whisper-large-v3-turbo"].gpu_only


def test_only_installed_models_are_served_here(tmp_path):
    assert served_models("", tmp_path) == ["whisper-base"]
    (tmp_path / "whisper-large-v3-turbo").mkdir()
    assert served_models("", tmp_path) == ["whisper-base", "whisper-large-v3-turbo"]
    with pytest.raises(ModelUnavailable, match="unknown models"):
        served_models("whisper-huge")


def test_missing_baked_weights_say_what_is_wrong(tmp_path):
    with pytest.raises(ModelUnavailable) as err:
        locate_weights("qwen3-asr", tmp_path, models_root=tmp_path)
    assert "baked into the GPU image" in str(err.value) and str(tmp_path / "qwen3-asr") in str(err.value)


def test_split_weights_are_joined_once(tmp_path):
    path = locate_weights("whisper-base", tmp_path)
    model_bin = path / "model.bin"
    first = model_bin.stat().st_mtime_ns
    assert model_bin.stat().st_size > 100_000_000
    assert locate_weights("whisper-base", tmp_path) == path and model_bin.stat().st_mtime_ns == first


def test_server_with_a_model_it_lacks_refuses_to_start(tmp_path):
    env = {**os.environ, "TRANSCRIPTS_SERVED_MODELS": "whisper-base,whisper-large-v3-turbo",
           "TRANSCRIPTS_MODELS_ROOT": str(tmp_path / "models")}
    proc = subprocess.run([sys.executable, "-m", "transcripts.cli", "serve", "--port", "0", "--data-dir",
                           str(tmp_path / "data")], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "whisper-large-v3-turbo" in proc.stderr and "no weights at" in proc.stderr


def test_faster_whisper_backend_output_shape():
    settings = Settings()
    backend = ModelCache(settings.models_dir, cpu_threads=2).get("whisper-base")
    result = backend.transcribe(decode(SAMPLE, 60).samples, DecodeSettings(), language=None, word_timestamps=True)
    assert isinstance(result, AsrResult) and result.language == "en" and 0.5 < result.language_confidence <= 1
    assert result.segments and all(s.start <= s.end for s in result.segments)
    assert all(s.avg_logprob < 0 for s in result.segments)
    words = [w for s in result.segments for w in s.words]
    assert [w.word for w in words[:3]] == ["And", "so", "my"]
    assert all(0 <= w.confidence <= 1 and w.start <= w.end for w in words)


def _as_library_objects(raw: dict):
    """Rebuild the library's result objects (attribute access, as qwen_asr returns them)."""
    stamps = raw["time_stamps"]
    items = [SimpleNamespace(**i) for i in stamps["items"]] if stamps else None
    return SimpleNamespace(language=raw["language"], text=raw["text"],
                           time_stamps=SimpleNamespace(items=items) if items is not None else None)


def test_qwen3_asr_mapping_with_word_times():
    raw = json.loads((FIXTURES / "qwen3_asr_outputs.json").read_text())
    result = to_asr_result(_as_library_objects(raw["english_with_times"]), duration=3.0, language_given=None)
    assert result.language == "en" and result.language_confidence == 1.0
    [segment] = result.segments
    assert segment.text == "Thanks for calling Contoso, this is Alex." and segment.avg_logprob is None
    assert [w.word for w in segment.words] == ["Thanks", "for", "calling", "Contoso", "this", "is", "Alex"]
    assert segment.start == 0.24 and segment.end == 2.5
    assert all(w.confidence is None for w in segment.words)  # the library gives no scores


def test_qwen3_asr_mapping_mixed_and_silent():
    raw = json.loads((FIXTURES / "qwen3_asr_outputs.json").read_text())
    mixed = to_asr_result(_as_library_objects(raw["mixed_no_times"]), duration=4.0, language_given=None)
    assert mixed.language == "zh" and mixed.segments[0].words == [] and mixed.segments[0].end == 4.0
    silent = to_asr_result(_as_library_objects(raw["silence"]), duration=4.0, language_given=None)
    assert silent.segments == [] and silent.language == ""
    given = to_asr_result(_as_library_objects(raw["silence"]), duration=4.0, language_given="de")
    assert given.language == "de"


def test_backend_without_scores_gives_null_confidence():
    from transcripts.pipeline.assemble import assemble

    raw = json.loads((FIXTURES / "qwen3_asr_outputs.json").read_text())
    body = assemble(to_asr_result(_as_library_objects(raw["english_with_times"]), 3.0, None), 3.0, True)
    assert body.confidence is None and all(w["confidence"] is None for w in body.words)
    assert body.text == "Thanks for calling Contoso, this is Alex."
