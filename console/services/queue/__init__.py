"""The queue: views, filters, sorting and keyset paging.

Never loads all rows: a page is an index walk from the last row seen
(keyset paging on the sort key plus the id), so page 200 costs what page 1
costs and a row inserted meanwhile is neither skipped nor repeated.

What a listing asks is in ``filters``, its SQL in ``sql``, how stored rows
become queue rows in ``rows``, pages in ``paging`` and the sidebar's counts
in ``counters``; this module names what the rest of Parloir uses."""

from __future__ import annotations

from console.services.queue.counters import (
    count,
    counts,
    open_by_member,
    open_by_tag,
    unread_counts,
)
from console.services.queue.filters import SORTS, VIEWS, QueueFilter, matches
from console.services.queue.paging import Page, iterate, page, rows_by_id
from console.services.queue.rows import QueueRow, damaged_row, damaged_sentence, stored_time
from console.services.queue.sql import DENSE_MATCHES, MIN_PREFIX, fts_query, search_words

__all__ = [
    "DENSE_MATCHES",
    "MIN_PREFIX",
    "SORTS",
    "VIEWS",
    "Page",
    "QueueFilter",
    "QueueRow",
    "count",
    "counts",
    "damaged_row",
    "damaged_sentence",
    "fts_query",
    "iterate",
    "matches",
    "open_by_member",
    "open_by_tag",
    "page",
    "rows_by_id",
    "search_words",
    "stored_time",
    "unread_counts",
]
