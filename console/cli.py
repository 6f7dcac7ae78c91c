"""The ``parloir`` command line (contract: CLI.md; keep it stable).

No subcommand starts the GUI. Exit status: 0 success; 2 a user's mistake
(unknown id, bad option, no keyring), one line on stderr, no traceback;
1 a failure of the network or a server. Stack traces go to the log file.
Qt is imported only when the GUI starts.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

from console import __version__, cli_input, paths, terminal
from console.models.vocabulary import SETTABLE_STATUSES, OutboxState, Priority, Role

log = logging.getLogger("console.cli")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class Usage(Exception):
    """A user's mistake found by the CLI itself."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        terminal.err(f"parloir: {message}")
        raise SystemExit(EXIT_USAGE)

    def _print_message(self, message: str, file: Any = None) -> None:
        # --help, --version and usage text also pass through the one output function.
        if message:
            terminal.out(message.rstrip("\n"), multiline=True, file=file or sys.stderr)


def _size(value: str) -> tuple[int, int]:
    """``--size WxH``: each side a whole number of pixels within
    cli_input.MAX_WINDOW_SIDE (a huge one made Qt abort the process)."""
    side = cli_input.whole_number(cli_input.MIN_WINDOW_SIDE, cli_input.MAX_WINDOW_SIDE)
    try:
        w, h = value.lower().split("x")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size must look like 1440x900, not {cli_input.shown(value)}"
        ) from None
    return side(w), side(h)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="parloir", description="One conversation queue for your team.")
    p.add_argument("--demo", action="store_true", help="use the demo workspace")
    p.add_argument("--version", action="version", version=f"parloir {__version__}")
    p.add_argument("--screenshot", metavar="PATH", help="render the main window to PATH and exit")
    p.add_argument("--size", type=_size, default=None, metavar="WxH")
    p.add_argument("--open", metavar="CONV", help="start the window with this conversation open")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    account = sub.add_parser("account", help="add, list, remove accounts")
    acc = account.add_subparsers(dest="account_command", required=True, parser_class=_Parser)
    add = acc.add_parser("add", help="add an account")
    add_net = add.add_subparsers(dest="network", required=True, parser_class=_Parser)
    masto = add_net.add_parser("mastodon")
    masto.add_argument("--server", required=True)
    masto.add_argument("--token-stdin", action="store_true")
    bsky = add_net.add_parser("bluesky")
    bsky.add_argument("--handle", required=True)
    bsky.add_argument("--service")
    bsky.add_argument("--app-password-stdin", action="store_true", required=True)
    mail = add_net.add_parser("email")
    mail.add_argument("--imap", required=True)
    mail.add_argument("--smtp", required=True)
    mail.add_argument("--user", required=True)
    mail.add_argument("--address")
    mail.add_argument("--password-stdin", action="store_true", required=True)
    mail.add_argument("--security", choices=("tls", "starttls", "none"), default="tls")
    lst = acc.add_parser("list")
    lst.add_argument("--json", action="store_true")
    rm = acc.add_parser("remove")
    rm.add_argument("id")

    sync = sub.add_parser("sync", help="fetch new messages and deliver the outbox")
    sync.add_argument("--account")
    sync.add_argument("--once", action="store_true")

    queue = sub.add_parser("queue", help="list conversations")
    queue.add_argument("--view", default="open")
    queue.add_argument("--account")
    queue.add_argument("--network")
    queue.add_argument("--tag")
    queue.add_argument("--assignee")
    queue.add_argument("--search")
    queue.add_argument("--sort", default="waiting")
    queue.add_argument("--limit", type=cli_input.whole_number(1, cli_input.MAX_LIMIT))
    queue.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="one conversation")
    show.add_argument("conv")
    show.add_argument("--json", action="store_true")

    assign = sub.add_parser("assign")
    assign.add_argument("conv")
    assign.add_argument("member")
    for name in ("take", "unassign"):
        sub.add_parser(name).add_argument("conv")
    status = sub.add_parser("status")
    status.add_argument("conv")
    status.add_argument("status", choices=[str(s) for s in SETTABLE_STATUSES])
    priority = sub.add_parser("priority")
    priority.add_argument("conv")
    priority.add_argument("priority", choices=[str(p) for p in Priority])
    snooze = sub.add_parser("snooze")
    snooze.add_argument("conv")
    snooze.add_argument("--until", required=True)
    tag = sub.add_parser("tag")
    tag.add_argument("conv")
    tag.add_argument("tag")
    tag.add_argument("--remove", action="store_true")
    note = sub.add_parser("note")
    note.add_argument("conv")
    note.add_argument("--text-stdin", action="store_true", required=True)
    draft = sub.add_parser("draft")
    draft.add_argument("conv")
    draft_action = draft.add_mutually_exclusive_group(required=True)
    draft_action.add_argument("--text-stdin", action="store_true", help="save my draft")
    draft_action.add_argument("--discard", action="store_true", help="delete my draft")
    send = sub.add_parser("send")
    send.add_argument("conv")
    send.add_argument("--anyway", action="store_true", help="send a held reply all the same")
    outbox = sub.add_parser("outbox")
    outbox.add_argument("--json", action="store_true")

    team = sub.add_parser("team")
    tm = team.add_subparsers(dest="team_command", required=True, parser_class=_Parser)
    tadd = tm.add_parser("add")
    tadd.add_argument("name")
    tadd.add_argument("--role", choices=[str(r) for r in Role], required=True)
    tm.add_parser("me").add_argument("name")
    tlist = tm.add_parser("list")
    tlist.add_argument("--json", action="store_true")

    _settings_parser(sub)

    contact = sub.add_parser("contact")
    ct = contact.add_subparsers(dest="contact_command", required=True, parser_class=_Parser)
    ct.add_parser("forget").add_argument("contact")

    cache = sub.add_parser("cache", help="repair the local cache")
    cc = cache.add_subparsers(dest="cache_command", required=True, parser_class=_Parser)
    rebuild = cc.add_parser("rebuild", help="a damaged cache: keep your work, fetch the rest")
    rebuild.add_argument("--force", action="store_true", help="also when the check passes")

    demo = sub.add_parser("demo")
    dm = demo.add_subparsers(dest="demo_command", required=True, parser_class=_Parser)
    gen = dm.add_parser("generate")
    gen.add_argument(
        "--conversations",
        type=cli_input.whole_number(1, cli_input.MAX_DEMO_CONVERSATIONS),
        required=True,
    )
    gen.add_argument(
        "--messages", type=cli_input.whole_number(1, cli_input.MAX_DEMO_MESSAGES), required=True
    )
    return p


def _settings_parser(sub: Any) -> None:
    """``settings list|get|set``: the registry's keys (console/models/settings_registry.py)."""
    setting = sub.add_parser("settings", help="list, read and change settings")
    st = setting.add_subparsers(dest="settings_command", required=True, parser_class=_Parser)
    st.add_parser("list").add_argument("--json", action="store_true")
    get = st.add_parser("get")
    put = st.add_parser("set")
    get.add_argument("key")
    put.add_argument("key")
    put.add_argument("value")
    for one in (get, put):
        where = one.add_mutually_exclusive_group()
        where.add_argument("--account", metavar="ID")
        where.add_argument("--member", metavar="NAME")
        where.add_argument("--tag", metavar="T")
    get.add_argument("--json", action="store_true")


# --------------------------------------------------------------------------
# helpers


class _LogFile(logging.FileHandler):
    """The log file, which may itself be on the full or read-only disk the
    person is being told about: a record it cannot write is dropped, never
    printed as a "Logging error" traceback on the terminal."""

    def handleError(self, record: logging.LogRecord) -> None:
        return


#: The log file this process writes to (None when it could not be opened):
#: the sentence for an unexpected failure points at it.
_log_file: Path | None = None


def _setup_logging() -> None:
    global _log_file
    root = logging.getLogger()
    if any(getattr(h, "_parloir_cli", False) for h in root.handlers):
        return  # main() called again in the same process (tests)
    try:
        log_file = paths.private_file(paths.log_dir() / "parloir.log")
        handler: logging.Handler = _LogFile(log_file, encoding="utf-8")
        _log_file = log_file
    except OSError:
        handler = logging.NullHandler()
        _log_file = None
    handler.setFormatter(terminal.SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._parloir_cli = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _open(args: argparse.Namespace) -> Any:
    from console.models.db import open_cache

    path = paths.cache_path(demo=args.demo)
    if args.demo:
        from console.demo import ensure_demo

        ensure_demo(path)
    return open_cache(path)


def _read_stdin() -> str:
    return cli_input.read_stdin()


def _print_json(value: Any) -> None:
    terminal.out_json(value)


def _parse_time(value: str) -> datetime:
    """ISO 8601; local time when it has no offset (CLI.md); 1970 to 2099."""
    return cli_input.user_time(value)


def _ago(when: datetime | None) -> str:
    if when is None:
        return "-"
    from console.models.types import utcnow

    seconds = int((utcnow() - when).total_seconds())
    if seconds < 3600:
        return f"{max(seconds, 0) // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


# --------------------------------------------------------------------------
# commands


def cmd_queue(args: argparse.Namespace) -> int:
    from console.services import queue, team
    from console.services.accounts import find_account

    with _open(args) as cache, cache.read() as s:
        me = team.me(s)
        assignee_id = team.find_member(s, args.assignee).id if args.assignee else None
        account_id = find_account(s, args.account).id if args.account else None
        flt = queue.QueueFilter(
            view=args.view,
            account_id=account_id,
            network=args.network,
            tag=_stored_tag(s, args.tag) if args.tag else None,
            assignee_id=assignee_id,
            search=args.search,
            sort=args.sort,
        )
        if args.limit is not None:
            rows = queue.page(s, flt, me_id=me.id if me else None, limit=args.limit).rows
        else:
            rows = queue.iterate(s, flt, me_id=me.id if me else None)
    if args.json:
        _print_json([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        if r.damaged is not None:
            terminal.out(f"{r.id[-8:]}  damaged: {r.damaged}")
            continue
        who = r.contact_name or r.contact_handle
        assignee = r.assignee_name or "-"
        waiting = _ago(r.waiting_since)
        text = (r.subject + " — " if r.subject else "") + r.preview
        terminal.out(
            f"{r.id[-8:]}  {r.network:<8} {r.status:<7} {waiting:>4}  {assignee[:12]:<12} "
            f"{who[:24]:<24} {text[:60]}"
        )
    if not rows:
        terminal.err("Nothing here.")
    return EXIT_OK


def _stored_tag(session: Any, typed: str) -> str:
    """The stored tag a typed name means (``LIVRAISON`` is ``livraison``)."""
    from console.services import workflow

    found = workflow.find_tag(session, typed)
    return found.name if found is not None else typed


def cmd_show(args: argparse.Namespace) -> int:
    from console.services.conversation import detail_json

    with _open(args) as cache, cache.read() as s:
        detail = detail_json(s, args.conv)
    if args.json:
        _print_json(detail)
        return EXIT_OK
    if detail.get("damaged"):
        terminal.out(f"{detail['id']}  damaged: {detail['damaged']}")
    else:
        head = detail["contact"]["name"] or detail["contact"]["handle"]
        terminal.out(f"{detail['id']}  {detail['network']}  {detail['status']}  {head}")
    if detail["subject"]:
        terminal.out(f"Subject: {detail['subject']}")
    for m in detail["messages"]:
        if m.get("damaged"):
            terminal.out()
            terminal.out(f"!! message {m['id']} damaged: {m['damaged']}")
            continue
        arrow = "<-" if m["direction"] == "in" else "->"
        body = "(deleted)" if m["deleted"] else m["text"]
        terminal.out()
        terminal.out(f"{arrow} {m['author']['name'] or m['author']['handle']}  {m['sent_at']}")
        terminal.out(body, multiline=True)
    for n in detail["notes"]:
        terminal.out()
        terminal.out(f"[note] {n['author']}: {n['text']}", multiline=True)
    return EXIT_OK


def _write(args: argparse.Namespace, task: Callable[[Any], Any]) -> Any:
    with _open(args) as cache:
        return cache.writer.call(task)


def cmd_workflow(args: argparse.Namespace) -> int:
    from console.services import drafts, notes, workflow
    from console.services.conversation import row

    c = args.command
    if c == "assign":
        result = _write(args, lambda tx: workflow.assign(tx, args.conv, args.member).id)
    elif c == "take":
        result = _write(args, lambda tx: workflow.take(tx, args.conv).id)
    elif c == "unassign":
        result = _write(args, lambda tx: workflow.unassign(tx, args.conv).id)
    elif c == "status":
        result = _write(args, lambda tx: workflow.set_status(tx, args.conv, args.status).id)
    elif c == "priority":
        result = _write(args, lambda tx: workflow.set_priority(tx, args.conv, args.priority).id)
    elif c == "snooze":
        until = _parse_time(args.until)
        result = _write(args, lambda tx: workflow.snooze(tx, args.conv, until).id)
    elif c == "tag":
        op = workflow.untag if args.remove else workflow.tag
        result = _write(args, lambda tx: op(tx, args.conv, args.tag).id)
    elif c == "note":
        text = _read_stdin()
        result = _write(args, lambda tx: notes.add_note(tx, args.conv, text).conversation_id)
    elif c == "draft" and args.discard:

        def discard(tx: Any) -> str:
            drafts.discard_draft(tx, args.conv)  # none there is fine: the draft is gone
            return workflow.resolve(tx.session, args.conv).id

        result = _write(args, discard)
    elif c == "draft":
        text = _read_stdin()

        def save(tx: Any) -> str:
            drafts.save_draft(tx, args.conv, text)
            return workflow.resolve(tx.session, args.conv).id

        result = _write(args, save)
    else:  # pragma: no cover - argparse limits the choices
        raise Usage(f"unknown command {c}")
    with _open(args) as cache, cache.read() as s:
        r = row(s, result)
    assignee = r.assignee_name or "nobody"
    terminal.out(f"{r.id}  {r.status}  assigned to {assignee}  tags: {', '.join(r.tags) or '-'}")
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    """Queue my draft once (a second ``send`` finds the same item), try it
    once, print its state; a held reply prints ``held: <sentence>``, exit 2."""
    from console.models.writer import URGENT
    from console.services import outbox
    from console.sync.outbox import OutboxSender

    def enqueue(tx: Any) -> tuple[str, str, str | None]:
        item = outbox.enqueue(tx, args.conv, anyway=args.anyway, record_hold=True)
        return item.id, item.state, item.error

    with _open(args) as cache:
        item_id, state, error = cache.writer.call(enqueue, URGENT)
        if state == OutboxState.HELD:
            terminal.out(f"held: {error}")
            terminal.err(
                f"parloir: nothing was sent; to send it as it is: parloir send {args.conv} --anyway"
            )
            return EXIT_USAGE
        sender = OutboxSender(cache, demo=args.demo)
        try:
            sender.recover_stale()
            # The person asks now: the retry time of an earlier try (a backoff,
            # a rate limit) does not wait, as for `parloir sync`.
            state = sender.deliver(item_id, force=True)
        finally:
            sender.close()
        with cache.read() as s:
            from console.models.schema import OutboxItem

            item = s.get(OutboxItem, item_id)
            line = f"{item_id}  {item.state if item else state}"
            if item is not None and item.error:
                line += f"  {item.error}"
    terminal.out(line)
    if sender.keyring_problem is not None:  # queued, but it cannot go until unlocked
        terminal.err(f"parloir: {sender.keyring_problem}")
        return EXIT_USAGE
    return (
        EXIT_OK
        if state in (OutboxState.SENT, OutboxState.QUEUED, OutboxState.SENDING)
        else EXIT_FAILURE
    )


def cmd_outbox(args: argparse.Namespace) -> int:
    from console.services import outbox

    with _open(args) as cache, cache.read() as s:
        items = [outbox.item_json(i) for i in outbox.list_items(s)]
    if args.json:
        _print_json(items)
        return EXIT_OK
    for i in items:
        terminal.out(f"{i['id']}  {i['state']:<8} {i['attempts']} tries  {i['error'] or ''}")
    if not items:
        terminal.err("The outbox is empty.")
    return EXIT_OK


def cmd_team(args: argparse.Namespace) -> int:
    from console.services import team

    if args.team_command == "add":
        _write(args, lambda tx: team.add_member(tx, args.name, args.role).id)
    elif args.team_command == "me":
        _write(args, lambda tx: team.set_me(tx, args.name).id)
    with _open(args) as cache, cache.read() as s:
        members = [
            {"id": m.id, "name": m.name, "role": m.role, "me": m.is_me}
            for m in team.list_members(s)
        ]
    if args.team_command == "list" and args.json:
        _print_json(members)
        return EXIT_OK
    for m in members:
        terminal.out(f"{m['id']}  {m['name']:<24} {m['role']:<6} {'(me)' if m['me'] else ''}")
    return EXIT_OK


def _setting_text(value: Any) -> str:
    return value if isinstance(value, str) else terminal.json_dumps(value, indent=None)


def cmd_settings(args: argparse.Namespace) -> int:
    """``settings list`` (with each value that applies to everyone),
    ``settings get KEY``, ``settings set KEY VALUE`` (prints what was stored)."""
    from console.services import settings

    where = {k: getattr(args, k, None) for k in ("account", "member", "tag")}
    if args.settings_command == "set":
        value = cli_input.setting_value(args.key, args.value)
        stored = _write(args, lambda tx: settings.put_scoped(tx, args.key, value, **where))
        scope = next((f"{k} {n}" for k, n in where.items() if n), "")
        terminal.out(f"{args.key} = {_setting_text(stored)}" + (f" ({scope})" if scope else ""))
        return EXIT_OK
    with _open(args) as cache, cache.read() as s:
        if args.settings_command == "get":
            got = settings.get(s, args.key, **where)
            if args.json:
                _print_json(got)
            else:
                terminal.out(_setting_text(got))
            return EXIT_OK
        rows = [{**d, "value": settings.get(s, d["key"])} for d in settings.catalogue()]
    if args.json:
        _print_json(rows)
        return EXIT_OK
    for r in rows:
        bounds = ", ".join(repr(c) for c in r["choices"] or ()) or (
            f"{r['minimum']}..{r['maximum']}" if r["minimum"] is not None else ""
        )
        unit = f" {r['unit']}" if r["unit"] else ""
        value = terminal.json_dumps(r["value"], indent=None)
        terminal.out(
            f"{r['key']} = {value}  ({r['type']}, {bounds}{unit}; {', '.join(r['scopes'])})"
            f"  {r['label']}"
        )
    return EXIT_OK


def cmd_contact(args: argparse.Namespace) -> int:
    from console.services import people

    with _open(args) as cache:
        erasure = people.forget_person(cache, args.contact)
    counts = (
        f"{erasure['messages']} messages, {erasure['conversations']} conversations, "
        f"{erasure['contacts']} contact records"
    )
    if not erasure.complete:
        terminal.err(
            f"parloir: Removed {counts} from the cache, but another Parloir process is reading "
            "it, so a copy stays in the cache files until that process ends and is erased then."
        )
        return EXIT_FAILURE
    terminal.out(f"Forgotten: {counts}.")
    return EXIT_OK


def cmd_cache(args: argparse.Namespace) -> int:
    """``cache rebuild``: without opening the cache (it may not open)."""
    from console.services.cache_rebuild import rebuild

    report = rebuild(paths.cache_path(demo=args.demo), force=args.force)
    terminal.out(report.summary())
    return EXIT_OK


def cmd_account(args: argparse.Namespace) -> int:
    from console.services import accounts

    if args.account_command == "list":
        with _open(args) as cache, cache.read() as s:
            rows = [accounts.account_json(a) for a in accounts.list_accounts(s)]
        if args.json:
            _print_json(rows)
        else:
            for a in rows:
                state = a["status"] + (f" ({a['status_message']})" if a["status_message"] else "")
                terminal.out(f"{a['id']}  {a['network']:<8} {a['handle']:<32} {state}")
        return EXIT_OK
    if args.demo:
        raise Usage("The demo workspace has fixed accounts; run without --demo to add yours.")
    if args.account_command == "remove":
        with _open(args) as cache:
            removed = accounts.remove_account(cache.writer, args.id)
        terminal.out(f"Removed account {removed} and its keyring entry.")
        return EXIT_OK
    from console.services import signin

    with _open(args) as cache:
        stdin = cast(TextIO, cli_input.utf8_stdin())  # reads as TextIO does, UTF-8 checked
        account = signin.add_account(cache, args, stdin=stdin)
    terminal.out(f"{account.id}  {account.network}  {account.handle}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from console.sync.engine import SyncEngine

    with _open(args) as cache:
        engine = SyncEngine(cache, demo=args.demo)
        if args.once:
            report = engine.run_once(account=args.account)
            for line in report.lines():
                terminal.out(line)
            return EXIT_OK if report.ok else EXIT_FAILURE
        engine.run_forever(account=args.account)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from console.demo import generate

    if args.conversations < 1 or args.messages < args.conversations:
        raise Usage("Need at least one conversation and one message per conversation.")
    result = generate(paths.cache_path(), args.conversations, args.messages)
    terminal.out(terminal.json_dumps(result, indent=None))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "queue": cmd_queue,
    "show": cmd_show,
    "assign": cmd_workflow,
    "take": cmd_workflow,
    "unassign": cmd_workflow,
    "status": cmd_workflow,
    "snooze": cmd_workflow,
    "priority": cmd_workflow,
    "tag": cmd_workflow,
    "note": cmd_workflow,
    "draft": cmd_workflow,
    "send": cmd_send,
    "outbox": cmd_outbox,
    "team": cmd_team,
    "settings": cmd_settings,
    "contact": cmd_contact,
    "cache": cmd_cache,
    "account": cmd_account,
    "sync": cmd_sync,
    "demo": cmd_demo,
}


def _user_errors() -> tuple[type[BaseException], ...]:
    from console.credentials import KeyringUnavailable
    from console.models.db import CacheError
    from console.services.errors import UserError
    from console.sync.engine import UnknownAccount  # the sync layer cannot raise a UserError

    return (Usage, cli_input.InputError, UserError, CacheError, KeyringUnavailable, UnknownAccount)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can end is an exit status and at most
    one line on stderr (CLI.md), the details of a failure in the log."""
    _tolerant_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        problem = cli_input.argv_problem(argv)
        if problem is not None:
            terminal.err(f"parloir: {problem}")
            return EXIT_USAGE
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help, --version, or a usage error already printed
            return done.code if isinstance(done.code, int) else EXIT_USAGE
        _setup_logging()
        if args.command is None:
            from console.app import run_gui

            return run_gui(
                demo=args.demo,
                screenshot=Path(args.screenshot) if args.screenshot else None,
                size=args.size,
                open_conv=args.open,
            )
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except KeyboardInterrupt:
        log.info("interrupted")
        with contextlib.suppress(OSError, ValueError):
            terminal.err("parloir: interrupted.")
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`parloir queue | head`): not a failure.
        _stdout_gone()
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from console.sync.base import ProviderError

    try:
        return COMMANDS[args.command](args)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except _user_errors() as exc:
        log.info("user error: %s", exc)
        terminal.err(f"parloir: {exc}")
        return EXIT_USAGE
    except ProviderError as exc:
        log.exception("network failure")
        terminal.err(f"parloir: {exc}")
        return EXIT_FAILURE
    except OSError as exc:
        log.exception("system failure")
        terminal.err(f"parloir: {exc.strerror or exc}")
        return EXIT_FAILURE
    except Exception as exc:  # the net under every other failure: logged, one sentence
        log.exception("unexpected failure in `parloir %s`", args.command)
        terminal.err(f"parloir: {_unexpected(args.command, exc)}")
        return EXIT_FAILURE


def _unexpected(command: str, exc: Exception) -> str:
    """The sentence for a failure nobody foresaw: what failed, where the details are."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    where = (
        f"the details are in {_log_file}"
        if _log_file is not None
        else "the log file could not be opened, so no details were kept"
    )
    if isinstance(exc, sqlite3.Error | DBAPIError):
        reason = getattr(exc, "orig", None) or exc
        return (
            f"`{command}` failed: the cache could not be read or written ({reason}); "
            f"try again, and if it keeps failing {where}."
        )
    return (
        f"`{command}` failed unexpectedly ({type(exc).__name__}); try again, "
        f"and if it keeps failing report it: {where}."
    )


def _tolerant_streams() -> None:
    """A terminal that is not UTF-8 gets backslash escapes rather than a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def _stdout_gone() -> None:
    """Point stdout at /dev/null so the interpreter's final flush stays quiet."""
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
