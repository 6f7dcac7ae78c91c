"""Record keys for Bluesky: TIDs (timestamp identifiers).

A TID is 13 characters of "sortable base32" (alphabet 234567abcdefghijklmnopqrstuvwxyz)
encoding 53 bits of microseconds since the epoch and 10 bits of clock id.
We choose the TID of a reply BEFORE the first attempt so a retry can ask the
PDS whether that record exists (getRecord) instead of posting twice.
"""

from __future__ import annotations

import random
import threading
import time

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_lock = threading.Lock()
_last = 0
_clock_id = random.SystemRandom().randrange(1024)


def encode(value: int, length: int = 13) -> str:
    chars = []
    for _ in range(length):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_tid(now_us: int | None = None) -> str:
    """A fresh TID, strictly increasing within this process."""
    global _last
    with _lock:
        micros = now_us if now_us is not None else time.time_ns() // 1000
        if micros <= _last:
            micros = _last + 1
        _last = micros
    return encode((micros << 10) | _clock_id)


def is_tid(value: str) -> bool:
    return len(value) == 13 and value[0] in "234567abcdefghij" and all(c in ALPHABET for c in value)
