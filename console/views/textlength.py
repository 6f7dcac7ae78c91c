"""The composer's view of the length rule; the rule itself lives in
console/sync/textlength.py (``send`` obeys the same one)."""

from console.sync.textlength import limit_for, measure

__all__ = ["limit_for", "measure"]
