"""Split long recordings into bounded windows, cut at the quietest moment near each limit.

faster-whisper holds features for the whole input at once: about 50 MB more peak memory per
audio minute (a 12-minute file peaked near 1 GB here). Transcribing windows of at most a few
minutes keeps a worker's memory flat whatever the length; cutting where the signal is
quietest (a pause between words) keeps words whole across the joins.
"""

from __future__ import annotations

from dataclasses import dataclass

FRAME_S = 0.1


@dataclass(frozen=True)
class Window:
    start: int  # sample index, inclusive
    end: int  # sample index, exclusive


def plan_windows(samples, rate: int, max_window_s: float, search_s: float = 30.0) -> list[Window]:
    import numpy as np

    total = len(samples)
    limit = int(max_window_s * rate)
    if total <= limit:
        return [Window(0, total)]
    frame = int(FRAME_S * rate)
    search = min(int(search_s * rate), limit // 2)
    windows, start = [], 0
    while total - start > limit:
        lo, hi = start + limit - search, start + limit
        region = samples[lo:hi]
        n = len(region) // frame
        energy = np.square(region[: n * frame].reshape(n, frame), dtype=np.float32).mean(axis=1)
        cut = lo + int(np.argmin(energy)) * frame + frame // 2
        windows.append(Window(start, cut))
        start = cut
    windows.append(Window(start, total))
    return windows
