"""How the main window follows the writer's change sets: which rows, the
pane, the sidebar and the engine hear of a commit (its own, the engine
process's, another terminal's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.models.writer import ChangeSet
from console.views.ops import overview
from console.views.tasks import changeset_ids

if TYPE_CHECKING:
    from console.views.main_window import MainWindow


def follow(window: MainWindow, changes: ChangeSet) -> None:
    """Refresh what ``changes`` touched, and only that."""
    pane = window.pane
    if changes.everything:
        # Too much changed elsewhere to name (a huge sync in another
        # process, or we fell behind its log): reload what is shown.
        if window.started:
            window.model.set_filter(window.current_filter(), window.me_id, keep_open=True)
        pane.reload()
        window.sidebar_soon()
        return
    ids = changeset_ids(changes)
    if ids:
        window.model.refresh_ids(ids)
        if pane.conv_id in ids:
            pane.reload()
    if pane.conv_id in changes.drafts and pane.conv_id not in ids:
        pane.draft_changed()  # the outbox's Cancel, another process
    if changes.team:
        overview.fetch_me(window.runner, window.team_changed)
    if ids or changes.accounts or changes.outbox or changes.team or changes.settings:
        window.sidebar_soon()
    if changes.accounts or changes.outbox:
        # An account signed in is polled at once, a reply queued goes
        # now (not at the engine's next round, up to 15 s later).
        window.sync_status.wake()
