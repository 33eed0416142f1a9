"""Audio for slow links: its duration, and a low-bitrate version for cheap phones.

Community-radio recordings and lessons are uploaded at whatever quality the recorder gave
(often 128 kbit/s stereo or more). :func:`low_bitrate` re-encodes one as mono MP3 at
32 kbit/s (about 14 MB an hour, a quarter of the original or less), which every phone and
browser plays; speech stays clear. Encoding uses FFmpeg's libraries through PyAV (its wheel
ships them), so no program has to be installed on the server. Both functions read the file
given and leave its position at the start.
"""

from __future__ import annotations

import io
from typing import IO, Any

LOW_BITRATE = 32_000
LOW_SAMPLE_RATE = 22_050
LOW_MIME = "audio/mpeg"


class AudioError(ValueError):
    """The file is not audio that can be decoded."""


def duration_seconds(upload: IO[bytes] | Any) -> int | None:
    """Seconds of audio, read from the file's own headers (None when they do not say)."""
    import mutagen

    upload.seek(0)
    try:
        found = mutagen.File(upload)
    except Exception:  # mutagen raises many kinds of errors on damaged files
        found = None
    finally:
        upload.seek(0)
    length = getattr(getattr(found, "info", None), "length", None)
    return round(length) if length else None


def low_bitrate(source: IO[bytes] | Any) -> bytes:
    """The recording as mono MP3 at 32 kbit/s; AudioError if it cannot be decoded."""
    import av

    source.seek(0)
    out = io.BytesIO()
    try:
        with av.open(source, "r") as reading, av.open(out, "w", format="mp3") as writing:
            if not reading.streams.audio:
                raise AudioError("no audio stream")
            encoder: Any = writing.add_stream("libmp3lame", rate=LOW_SAMPLE_RATE, layout="mono")
            encoder.bit_rate = LOW_BITRATE
            frames = 0
            for frame in reading.decode(reading.streams.audio[0]):
                frames += 1
                frame.pts = None
                for packet in encoder.encode(frame):
                    writing.mux(packet)
            if not frames:
                raise AudioError("no audio in the file")
            for packet in encoder.encode(None):
                writing.mux(packet)
    except av.FFmpegError as error:
        raise AudioError(str(error)) from error
    finally:
        source.seek(0)
    return out.getvalue()
