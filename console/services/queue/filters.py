"""What a queue listing asks for: the views, the sorts, and the filter; and
:func:`matches`, the same filter applied to one row in memory, so the GUI
can drop or add a changed row without a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from console.models import workflow_rules
from console.models.vocabulary import Status
from console.services.errors import InvalidArgument

if TYPE_CHECKING:
    from console.services.queue.rows import QueueRow

VIEWS = ("mine", "unassigned", "open", "pending", "snoozed", "closed", "all")
SORTS = ("waiting", "urgent", "activity", "priority")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    view: str = "open"
    account_id: str | None = None
    network: str | None = None
    tag: str | None = None
    assignee_id: str | None = None
    search: str | None = None
    sort: str = "waiting"

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise InvalidArgument(f"Unknown view {self.view!r}; use one of {', '.join(VIEWS)}.")
        if self.sort not in SORTS:
            raise InvalidArgument(f"Unknown sort {self.sort!r}; use one of {', '.join(SORTS)}.")


def matches(row: QueueRow, flt: QueueFilter, me_id: str | None) -> bool | None:
    """Whether ``row`` belongs to ``flt`` — None when only the database can
    tell (a text search, a damaged row). Lets the GUI drop or add one row
    without a query."""
    if row.damaged is not None:
        return None
    status = workflow_rules.effective_status(row.status, row.snoozed_until, datetime.now(UTC))
    view = flt.view
    if view in ("open", "mine", "unassigned") and status != Status.OPEN:
        return False
    if view == "mine" and row.assignee_id != me_id:
        return False
    if view == "unassigned" and row.assignee_id is not None:
        return False
    if view in ("pending", "snoozed", "closed") and status != view:
        return False
    if flt.account_id is not None and row.account_id != flt.account_id:
        return False
    if flt.network is not None and row.network != flt.network:
        return False
    if flt.assignee_id is not None and row.assignee_id != flt.assignee_id:
        return False
    if flt.tag and flt.tag.lstrip("#") not in row.tags:
        return False
    return None if flt.search else True
