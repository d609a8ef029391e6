"""Diarization by channel: in a stereo (or multi-channel) call recording each channel is one
speaker, as call centres often record agent and caller. Speech on each channel is found with
Silero VAD; at any moment the channel with the most energy over the last half second holds
the floor, so an echo or crosstalk of the other party on a quiet channel is not a turn. Speakers are the channel numbers: 0 is the first channel."""

from __future__ import annotations

from .diarize import Diarization, Turn

FRAME_S = 0.02
SMOOTH_S = 0.5  # who holds the floor is judged on half a second of energy, not on one frame
MERGE_GAP_S = 1.0


def diarize_channels(planes, rate: int, vad_threshold: float) -> Diarization:
    import numpy as np
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    channels, n = planes.shape
    frame = int(FRAME_S * rate)
    frames = n // frame
    active = np.zeros((channels, frames), bool)
    turns = []
    for c in range(channels):
        for seg in get_speech_timestamps(planes[c], VadOptions(threshold=vad_threshold, min_silence_duration_ms=300,
                                                                 speech_pad_ms=30), sampling_rate=rate):
            turns.append(Turn(round(seg["start"] / rate, 3), round(seg["end"] / rate, 3), str(c)))
            active[c, seg["start"] // frame: seg["end"] // frame + 1] = True
    energy = np.square(planes[:, : frames * frame].reshape(channels, frames, frame)).mean(axis=2)
    width = max(1, int(SMOOTH_S / FRAME_S))
    kernel = np.ones(width) / width
    energy = np.stack([np.convolve(e, kernel, mode="same") for e in energy])
    # The loudest channel holds the floor; a frame is speech when that channel's VAD says so
    # (a quiet channel's VAD also fires on the other party's echo: that is not a turn).
    loudest = np.argmax(energy, axis=0)
    winner = np.where(active[loudest, np.arange(frames)], loudest, -1)
    exclusive: list[Turn] = []
    start = 0
    for f in range(1, frames + 1):
        if f == frames or winner[f] != winner[start]:
            if winner[start] >= 0:
                turn = Turn(round(start * FRAME_S, 3), round(f * FRAME_S, 3), str(int(winner[start])))
                if exclusive and exclusive[-1].speaker == turn.speaker and turn.start - exclusive[-1].end < MERGE_GAP_S:
                    turn = Turn(exclusive.pop().start, turn.end, turn.speaker)
                exclusive.append(turn)
            start = f
    return Diarization(sorted(turns, key=lambda t: t.start), exclusive)
