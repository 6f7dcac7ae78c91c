"""The ingest rules: how fetched records become conversations and messages.

Everything here runs on the writer thread inside one transaction (a chunk).
It is written against the SQL connection with ``executemany`` rather than
the ORM because ingest is the hot path (tens of thousands of messages a
second); the ORM classes in schema.py describe the same tables.

One module per concern: ``chunk`` (the order of the steps, and the chunked
driver), ``rules`` (pure, over :class:`state.ConvState`), ``sanitize``,
``contacts``, ``conversations``, ``messages``, ``email_threads``,
``tombstones``, ``merges``. Callers use the names re-exported here.

Rules (DESIGN.md, "Data model"; the workflow ones are functions in
workflow_rules.py, applied here):

- Upsert on (account, remote id): a message seen twice is stored once; an
  edit keeps the new text; a message deleted remotely becomes a tombstone
  (text dropped, ``deleted`` set) and leaves the search index.
- ``waiting_since`` is the time of the first live inbound message after the
  last outbound one; ``due_at`` is ``waiting_since`` plus the due target of
  the conversation's kind (settings ``due_targets``, seconds).
- A new inbound message that makes someone wait (newer than our last reply,
  and inside the account's history window) reopens a closed, pending or
  snoozed conversation, and writes an Activity line saying so. An old
  message arriving late (a missing middle e-mail) does not reopen.
- A conversation seen for the first time arrives open only when someone
  waits and its last inbound message is inside the history window (the
  account's, else the workspace's: settings_registry.HISTORY_DAYS);
  otherwise it arrives closed. This is what makes the first sync of an
  account quiet: old and answered threads do not flood the queue.
- Replies the account sent outside Parloir are outbound messages like ours.
- Merges: two threads that turn out to be one (a late e-mail parent) merge
  into the survivor; notes, drafts, activity, tags and the outbox move with
  them; the old id redirects and the old remote key becomes an alias.
"""

from console.models.ingest.chunk import IngestReport, ingest, ingest_chunk
from console.models.ingest.conversations import recompute_conversation

__all__ = ["IngestReport", "ingest", "ingest_chunk", "recompute_conversation"]
