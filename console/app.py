"""The GUI application: QApplication, the cache, the runner, the engine.

``parloir`` without a command starts here. ``--screenshot PATH`` renders the
main window (on the demo: with a conversation open and a draft in the
composer) once everything is loaded, saves a PNG and exits.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, QTimer, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from console import paths
from console.models.db import Cache, CacheError, open_cache
from console.terminal import safe

if TYPE_CHECKING:
    from console.sync.engine import SyncEngine
    from console.views.alerts import Alerts
    from console.views.engine_link import EngineLink
    from console.views.main_window import MainWindow
    from console.views.tasks import Runner

log = logging.getLogger(__name__)


class _EngineRelay(QObject):
    sync_event = Signal(object)


#: Messages of Qt itself that say nothing to a user (the offscreen platform
#: of --screenshot cannot resize windows by hints).
QUIET_QT = ("This plugin does not support propagateSizeHints",)


def _qt_messages(kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's own warnings go to Parloir's log, not to the terminal."""
    if message.startswith(QUIET_QT):
        return
    level = logging.DEBUG if kind == QtMsgType.QtDebugMsg else logging.WARNING
    log.log(level, "Qt: %s", message)


def _conversation_to_open(
    cache: Any, conv_id: str, fallback: str | None
) -> tuple[str | None, str | None]:
    """``--open CONV`` (a desktop notification, a link): the conversation's
    id — a merged one redirects to its survivor — or, when it is gone, the
    window opens as usual and says so (a stale link is no reason to refuse
    to start). One indexed read before the window exists."""
    from console.services.errors import UserError
    from console.services.workflow import resolve

    try:
        with cache.read() as session:
            return resolve(session, conv_id).id, None
    except UserError as exc:
        log.info("--open %s: %s", conv_id, exc)
        sys.stderr.write(f"parloir: {safe(str(exc))}\n")
        return fallback, str(exc)


def run_gui(
    demo: bool = False,
    screenshot: Path | None = None,
    size: tuple[int, int] | None = None,
    open_conv: str | None = None,
) -> int:
    qInstallMessageHandler(_qt_messages)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Parloir")
    app.setOrganizationName("Parloir")
    app.setDesktopFileName("org.parloir.Parloir")

    from console.views import window_layout
    from console.views.alerts import Alerts
    from console.views.icons import app_icon
    from console.views.main_window import MainWindow
    from console.views.tasks import Runner

    app.setWindowIcon(app_icon())
    focus = None
    try:
        path = paths.cache_path(demo=demo)
        if demo:
            from console.demo import demo_conversation_id, ensure_demo

            ensure_demo(path)
        cache = open_cache(path)
        try:
            translators = _translate(app, cache)
            _appearance(app, cache)
        except CacheError:
            cache.close()
            raise
    except (CacheError, OSError) as exc:
        # Launched from a desktop there is no terminal: a dialog says it.
        message = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        log.warning("the window cannot start: %s", message)
        sys.stderr.write(f"parloir: {safe(message)}\n")
        Alerts().refused(message)
        return 2
    if demo:
        focus = demo_conversation_id(cache)
    missing: str | None = None
    if open_conv is not None:
        focus, missing = _conversation_to_open(cache, open_conv, focus)

    # Created 0600 first: QSettings keeps the mode of the file it replaces.
    ini = paths.private_file(paths.config_dir() / "window.ini")
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    runner = Runner(cache)
    window = MainWindow(runner, settings, focus=focus, demo=demo)
    if size is not None or screenshot is not None:
        window.resize(*(size or window_layout.FIRST_SIZE))
        window.geometry_restored = True  # a picture is taken at the size asked
    alerts = Alerts(window)
    if missing is not None:
        window.announce(missing)
    uninstall_hooks = alerts.install_hooks()
    watch_cache(runner, window, alerts, check=screenshot is None)

    engine: Any = None
    if screenshot is None:
        engine = _start_engine(cache, demo, window)
        from console.views.notifier import install_notifier

        install_notifier(window)  # the desktop hears of what is new for me

    # Once the window is up, move what start-up allocated out of the garbage
    # collector's sight: full collections during a big sync then scan only
    # what the sync creates (shorter pauses on the GUI thread).
    window.ready.connect(gc.freeze)
    code = 0
    if screenshot is not None:
        code = _screenshot(app, window, screenshot)
    else:
        window_layout.show_window(window)
        code = app.exec()
    if engine is not None:
        engine.stop()
    runner.shutdown()
    cache.close()
    uninstall_hooks()
    del translators
    return code


def watch_cache(runner: Runner, window: MainWindow, alerts: Alerts, *, check: bool = True) -> None:
    """A read or write that meets a damaged cache opens the dialog instead
    of leaving an empty queue; after the first paint, PRAGMA quick_check
    runs once in the background (it reads every page: never before the
    window shows, never on the CLI's read path)."""
    from console.models.db import quick_check

    runner.cache_failed.connect(alerts.cache_failed)
    if not check:
        return
    path = runner.cache.path

    def start_check() -> None:
        runner.call(lambda: quick_check(path), lambda problem: alerts.checked(problem, path))

    window.ready.connect(start_check)


def _translate(app: QApplication, cache: Cache) -> list[Any]:
    """Install the catalogues of the chosen language before any widget exists
    (one small read at start, before the event loop runs)."""
    from console.services import settings as settings_service
    from console.views import i18n

    with cache.read() as session:
        chosen = settings_service.get(session, "language")
    language = i18n.language_for(str(chosen or ""))
    i18n.use_locale_of(language)
    return i18n.install(app, language)


def _appearance(app: QApplication, cache: Cache) -> None:
    """Light, dark or the desktop's, before the window shows (theme.py)."""
    from console.services import settings as settings_service
    from console.views import theme

    with cache.read() as session:
        chosen = settings_service.get(session, "appearance")
    theme.Appearance(app, theme.mode_for(chosen))


#: ``PARLOIR_ENGINE=thread`` runs the engine in the window's process, as
#: before the engine process (a fallback, and bench/gui's "before").
ENGINE_MODE_VARIABLE = "PARLOIR_ENGINE"


def _start_engine(cache: Cache, demo: bool, window: MainWindow) -> EngineLink | SyncEngine:
    """The sync engine, in its own process (docs/decisions.md, "The engine
    runs in its own process"), or in a thread when PARLOIR_ENGINE=thread."""
    if os.environ.get(ENGINE_MODE_VARIABLE, "").strip().lower() == "thread":
        return _start_engine_thread(cache, demo, window)
    return start_engine_process(cache.path, demo, window)


def start_engine_process(path: Path, demo: bool, window: MainWindow) -> EngineLink:
    """The engine process for this window: its events reach the window's
    slots, what happens to the process itself shows in the status bar."""
    from console.views.engine_link import EngineLink

    link = EngineLink(path, demo=demo, parent=window)
    link.sync_event.connect(window.sync_status.sync_event)
    link.state_changed.connect(window.sync_label.setText)
    window.sync_status.set_engine(link)
    link.start()
    return link


def _start_engine_thread(cache: Cache, demo: bool, window: MainWindow) -> SyncEngine:
    """Run the sync engine in a background thread; its events reach the
    window through a queued signal (they are emitted on worker threads)."""
    from console.sync.engine import SyncEngine

    engine = SyncEngine(cache, demo=demo)
    relay = _EngineRelay(window)
    relay.sync_event.connect(window.sync_status.sync_event)
    engine.add_listener(relay.sync_event.emit)
    window.sync_status.set_engine(engine)
    threading.Thread(target=engine.run_forever, name="parloir-engine", daemon=True).start()
    return engine


def _screenshot(app: QApplication, window: object, path: Path) -> int:
    """Show offscreen, wait for the data (signals, with a safety timeout),
    render, save."""
    result = {"code": 1}

    def grab() -> None:
        app.processEvents()
        image = window.grab()  # type: ignore[attr-defined]
        ok = image.save(str(path))
        result["code"] = 0 if ok else 1
        if not ok:
            sys.stderr.write(f"parloir: could not write {safe(path)}\n")
        app.quit()

    def ready() -> None:
        QTimer.singleShot(200, grab)  # let the last rows paint

    window.ready.connect(ready)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]

    def too_slow() -> None:
        log.warning("screenshot: data not ready after 20 s, rendering what is there")
        grab()

    QTimer.singleShot(20_000, too_slow)
    app.exec()
    return result["code"]
