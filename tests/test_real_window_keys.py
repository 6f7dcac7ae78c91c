"""A morning in Parloir without the mouse, in the real window under a real
window manager (Xvfb + openbox, Qt on X): real X key events (xdotool, the
XTEST extension, so they go where the X focus is, as a keyboard's do) move
through the queue, reply, close and undo, open the palette and a menu,
search. Qt's offscreen platform, which the in-process tests use, fakes
activation and focus; here a dialog the manager does not activate, or a
shortcut a widget eats, fails.

The window runs in tests/helpers/real_window.py --drive, which answers
"state" with what the person sees; each step waits until that state
matches (with a generous limit for a loaded machine), never for a time.
"""

from __future__ import annotations

import json
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from console.models.vocabulary import PRIORITY_RANK
from tests.helpers.x_display import app_env, needs_x, x_display

HELPER = Path(__file__).parent / "helpers" / "real_window.py"

pytestmark = [
    needs_x,
    pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool (scripts/test)"),
]

#: How long one step may take on a loaded 2-core machine.
STEP_S = 60.0

State = dict[str, Any]


class Driven:
    """The window in its helper process: real keys in, state out."""

    def __init__(self, display: str, home: Path) -> None:
        self.env = app_env(display, str(home))
        self.errors = (home / "helper.err").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(HELPER), "--drive"],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        self.ready = self._answer(240)
        self.cache = str(self.ready["cache"])

    def _read(self, out: IO[str]) -> None:
        for line in out:
            if line.startswith("{"):
                self.lines.put(line)

    def _answer(self, timeout: float) -> State:
        try:
            answer: State = json.loads(self.lines.get(timeout=timeout))
        except queue.Empty:
            pytest.fail(f"the window did not answer: {self.stderr()}")
        return answer

    def stderr(self) -> str:
        self.errors.flush()
        return Path(self.errors.name).read_text()[-3000:]

    def state(self) -> State:
        assert self.proc.stdin is not None
        self.proc.stdin.write("state\n")
        self.proc.stdin.flush()
        return self._answer(STEP_S)

    def until(self, what: str, check: Callable[[State], bool]) -> State:
        """Poll the window's state until ``check`` holds."""
        deadline = time.monotonic() + STEP_S
        while True:
            now = self.state()
            if check(now):
                return now
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: the window stayed at {now}")
            # No pause: each look waits for the window's own answer, which its
            # event loop gives after handling what came before.

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=STEP_S)

    def key(self, *keys: str) -> None:
        """Press keys on the keyboard: they go where the X focus is."""
        self.xdotool("key", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "40", text)

    def row(self, conv_id: str) -> tuple[str, int]:
        """The conversation's status and priority, read from the cache file."""
        found = self.query("SELECT status, priority FROM conversations WHERE id = ?", conv_id)
        assert found
        return str(found[0][0]), int(found[0][1])

    def query(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        """Read the cache file as another process does (read-only)."""
        db = sqlite3.connect(f"file:{self.cache}?mode=ro", uri=True)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=30)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.errors.close()


@pytest.fixture
def window(tmp_path: Path) -> Iterator[Driven]:
    with x_display() as display:
        driven = Driven(display, tmp_path)
        try:
            yield driven
        finally:
            driven.close()


def focus_is(name: str) -> Callable[[State], bool]:
    return lambda s: bool(s["focus"] == name)


def moved_from(entry: str) -> Callable[[State], bool]:
    """An open menu highlights an entry, not ``entry``."""
    return lambda s: s["popup_action"] not in ("", entry)


def window_is(title: str) -> Callable[[State], bool]:
    """The modal window ``title`` is open and active (it has the keyboard)."""
    return lambda s: bool(s["active"] == title == s["modal"])


def test_a_morning_without_the_mouse(window: Driven) -> None:
    w = window
    # 1. The keyboard starts in the queue, in the active window.
    start = w.until("focus starts in the queue", focus_is("Conversations"))
    assert start["active"] == start["title"], start
    first = start["conv"]
    assert first

    # 2. j / k move the open conversation.
    w.key("j")
    second = w.until("j opens the next", lambda s: s["conv"] not in (None, first))["conv"]
    w.key("k")
    w.until("k goes back", lambda s: s["conv"] == first)
    w.key("j")
    w.until("j again", lambda s: s["conv"] == second)
    # Enter: the reply box; typing lands there; Esc: back, the draft stays.
    w.key("Return")
    w.until("Enter focuses the reply", focus_is("Reply"))
    w.type("Bonjour")
    w.until("typing lands in the reply", lambda s: s["editor"] == "Bonjour")
    w.key("Escape")
    back = w.until("Esc returns to the queue", focus_is("Conversations"))
    assert back["editor"] == "Bonjour" and back["conv"] == second, back
    # The draft is kept: away and back, it is there again.
    w.key("k")
    w.until("k leaves it", lambda s: s["conv"] == first and s["editor"] != "Bonjour")
    w.key("j")
    w.until("j comes back to the draft", lambda s: s["conv"] == second and s["editor"] == "Bonjour")

    # 3. Tab walks the places a person works in.
    for place in ("Conversation", "Reply", "Internal note"):
        w.key("Tab")
        w.until(f"Tab reaches {place}", focus_is(place))
    w.key("Escape")
    w.until("Esc from the note", focus_is("Conversations"))
    # 4. e closes the open conversation and opens the next; Ctrl+Z undoes.
    assert w.row(second)[0] == "open"
    w.key("e")
    after = w.until("e opens the next", lambda s: s["conv"] not in (None, second))
    w.until("the close is written", lambda s: bool(s["undo"]))
    assert w.row(second)[0] == "closed"
    assert after["focus"] == "Conversations", after
    w.key("ctrl+z")
    w.until("Ctrl+Z undoes the close", lambda s: not s["undo"] and w.row(second)[0] == "open")

    # 5. Ctrl+K: the palette, its field has the keys; a saved reply goes in.
    conv = w.until("back in the queue", focus_is("Conversations"))["conv"]
    w.key("Return")
    w.until("reply box", focus_is("Reply"))
    w.key("ctrl+a", "BackSpace")
    w.until("empty reply", lambda s: s["editor"] == "")
    w.type("Hi ")
    w.until("typed", lambda s: s["editor"] == "Hi ")
    w.key("ctrl+k")
    w.until("Ctrl+K from the reply opens the palette", lambda s: s["focus"] == "Command")
    w.key("Escape")
    w.until("Esc gives the reply box back", lambda s: not s["palette"] and s["focus"] == "Reply")
    w.key("ctrl+k")
    w.until("Ctrl+K again", lambda s: s["focus"] == "Command")
    w.type("saved open en")
    w.until("the palette filtered", lambda s: s["palette_text"] == "saved open en")
    w.key("Return")
    done = w.until(
        "the saved reply is inserted at the cursor",
        lambda s: (
            not s["palette"] and s["editor"].startswith("Hi Hi ") and "workshop" in s["editor"]
        ),
    )
    assert done["focus"] == "Reply" and done["conv"] == conv, done
    w.key("Escape")
    w.until("back to the queue", focus_is("Conversations"))
    w.key("ctrl+k")
    w.until("Ctrl+K from the queue opens the palette", lambda s: s["focus"] == "Command")
    w.key("Escape")
    w.until("Esc closes the palette", lambda s: not s["palette"] and s["focus"] == "Conversations")

    # 6. p: the priority menu; Down to an entry other than the current one,
    # Enter sets it.
    before = w.row(conv)[1]
    w.key("p")
    w.until("p opens the priority menu", lambda s: s["popup"] == "Priority")
    highlighted = ""
    for _ in PRIORITY_RANK:
        w.key("Down")
        moved = moved_from(highlighted)
        highlighted = w.until("Down highlights the next entry", moved)["popup_action"]
        if PRIORITY_RANK[highlighted.lower()] != before:
            break
    w.key("Return")
    w.until("the menu closes", lambda s: s["popup"] == "")
    wanted = PRIORITY_RANK[highlighted.lower()]
    w.until(f"{highlighted} is written", lambda _s: w.row(conv)[1] == wanted != before)

    # 7. "/" focuses the search; Esc clears it and returns to the queue.
    w.key("slash")
    w.until("/ focuses the search", focus_is("Search"))
    w.type("velo")
    w.until("the search has the word", lambda s: s["search"] == "velo")
    w.key("Escape")
    w.until(
        "Esc clears the search and returns",
        lambda s: s["search"] == "" and s["focus"] == "Conversations",
    )


def test_dialogs_and_menus_take_the_keyboard_and_give_it_back(window: Driven) -> None:
    w = window
    conv = w.until("focus starts in the queue", focus_is("Conversations"))["conv"]
    assert conv
    # Esc from the thread goes back to the queue.
    w.key("Tab")
    w.until("Tab reaches the thread", focus_is("Conversation"))
    w.key("Escape")
    w.until("Esc from the thread", focus_is("Conversations"))
    # ...and from the pane's buttons, which Tab reaches after the note.
    for place in ("Conversation", "Reply", "Internal note", "Take"):
        w.key("Tab")
        w.until(f"Tab reaches {place}", focus_is(place))
    w.key("Escape")
    w.until("Esc from a pane button", focus_is("Conversations"))

    # s, then "Pick a time…": the dialog is active with the keyboard in it.
    w.key("s")
    w.until("s opens the snooze menu", lambda s: s["popup"] == "Snooze")
    w.key("Up")
    w.until("Up: the last entry", lambda s: s["popup_action"] == "Pick a time…")
    w.key("Return")
    w.until(
        "the snooze dialog has the keyboard",
        lambda s: s["active"] == "Snooze until" and s["focus"] == "QDateTimeEdit",
    )
    w.key("Escape")
    w.until("Esc closes it", lambda s: s["modal"] == "" and s["focus"] == "Conversations")

    # #, then "New tag…": type a name, Enter tags the conversation.
    w.key("numbersign")
    w.until("# opens the tag menu", lambda s: s["popup"] == "Tags")
    w.key("Up")
    w.until("Up: New tag", lambda s: s["popup_action"] == "New tag…")
    w.key("Return")
    w.until("the new-tag dialog has the keyboard", lambda s: s["active"] == "New tag")
    w.type("vip")
    w.until("the name is typed there", lambda s: s["focus_text"] == "vip")
    w.key("Return")
    w.until("back to the queue", lambda s: s["modal"] == "" and s["focus"] == "Conversations")
    tagged = "SELECT 1 FROM conversation_tags JOIN tags ON tags.id = tag_id"
    tagged += " WHERE conversation_id = ? AND name = 'vip'"
    w.until("the tag is written", lambda _s: bool(w.query(tagged, conv)))

    # Take it, reply, Ctrl+Enter: queued in the outbox, the box empties.
    w.key("t")
    w.until("taken", lambda s: bool(s["undo"]))
    w.key("r")
    w.until("r focuses the reply", focus_is("Reply"))
    w.type("Merci !")
    w.until("typed", lambda s: s["editor"] == "Merci !")
    w.key("ctrl+Return")
    queued = "SELECT body FROM outbox WHERE conversation_id = ?"
    w.until("Ctrl+Enter queues the reply", lambda _s: w.query(queued, conv) == [("Merci !",)])
    w.until("the reply box empties", lambda s: s["editor"] == "" and s["modal"] == "")

    # ? and Ctrl+, open their windows over it; Esc closes each.
    w.key("Escape")
    w.until("back to the queue", focus_is("Conversations"))
    for keys, title in (("question", "Keyboard"), ("ctrl+comma", "Settings")):
        w.key(keys)
        w.until(f"{keys} opens {title}", window_is(title))
        w.key("Escape")
        w.until(f"Esc closes {title}", lambda s: s["modal"] == "" and s["focus"] == "Conversations")

    # The outbox, from the palette: its list has the keyboard, by name.
    w.key("ctrl+k")
    w.until("the palette", focus_is("Command"))
    w.type("outbox")
    w.until("filtered", lambda s: s["palette_text"] == "outbox")
    w.key("Return")
    w.until("the outbox list has the keyboard", lambda s: s["active"] == s["focus"] == "Outbox")
    w.key("Escape")
    w.until("Esc closes the outbox", focus_is("Conversations"))
