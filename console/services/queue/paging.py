"""Pages of the queue: keyset paging, so page 200 costs what page 1 costs
and a row inserted meanwhile is neither skipped nor repeated; and fresh
rows for the conversations a write changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from console.models.types import now_ms
from console.services.errors import InvalidArgument
from console.services.queue.filters import QueueFilter
from console.services.queue.rows import QueueRow, build_rows, fetch
from console.services.queue.sql import COLUMNS, ORDER, keyset, plan, where_clauses


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[QueueRow]
    next_after: tuple[Any, ...] | None


def page(
    session: Session,
    flt: QueueFilter,
    *,
    me_id: str | None = None,
    limit: int = 50,
    after: Sequence[Any] | None = None,
) -> Page:
    """One page of the queue, starting after the sort key ``after``."""
    if limit <= 0:
        raise InvalidArgument("The limit must be a positive number.")
    now = now_ms()
    extra, params = where_clauses(flt, session)
    key_clause, key_params = keyset(flt.sort, after)
    order, _ = ORDER[flt.sort]
    params.update(key_params)
    params["limit"] = limit
    params["now"] = now  # the "urgent" order's overdue flag
    selects = []
    for i, (branch, branch_params) in enumerate(plan(flt, now, me_id, extra)):
        clauses = [branch, *extra]
        if key_clause:
            clauses.append(key_clause)
        params.update(branch_params)
        selects.append(
            f"SELECT * FROM (SELECT {COLUMNS} FROM conversations c "
            f"WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT :limit) AS b{i}"
        )
    outer_order = order.replace("c.", "")
    sql = f"SELECT * FROM ({' UNION ALL '.join(selects)}) ORDER BY {outer_order} LIMIT :limit"
    rows = fetch(session, sql, params, flt.sort)
    built = build_rows(session, rows, now, flt.sort)
    next_after = built[-1].sort_key if len(built) == limit else None
    return Page(built, next_after)


def rows_by_id(session: Session, ids: Sequence[str], sort: str = "waiting") -> dict[str, QueueRow]:
    """Fresh rows for the conversations a write changed (the GUI updates
    those rows only); ``sort`` decides their ``sort_key``."""
    if not ids:
        return {}
    out: dict[str, QueueRow] = {}
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        chunk = ids[start : start + 500]
        marks = ",".join(f":i{n}" for n in range(len(chunk)))
        rows = fetch(
            session,
            f"SELECT {COLUMNS} FROM conversations c WHERE c.id IN ({marks})",
            {f"i{n}": v for n, v in enumerate(chunk)},
            sort,
        )
        out.update({r.id: r for r in build_rows(session, rows, now_ms(), sort)})
    return out


def iterate(
    session: Session, flt: QueueFilter, *, me_id: str | None = None, page_size: int = 500
) -> list[QueueRow]:
    """Every matching row, page by page (for the CLI and exports)."""
    out: list[QueueRow] = []
    after: tuple[Any, ...] | None = None
    while True:
        result = page(session, flt, me_id=me_id, limit=page_size, after=after)
        out.extend(result.rows)
        if result.next_after is None:
            return out
        after = result.next_after
