"""Prefect's process environment, set once before Prefect is imported.

Prefect reads its settings from the environment at import time. The shells (CLI, web, worker) call
`configure_prefect` first so that Prefect keeps its home under dach's data folder, sends no analytics, and
only prints warnings on the console (a successful run stays quiet).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemas.errors import DachError
from schemas.intake import IntakeClaim
from schemas.settings import Settings

if TYPE_CHECKING:
    from storage import Archive

log = logging.getLogger(__name__)

_archives: dict[Settings, Archive] = {}
_archives_lock = threading.Lock()


def archive_for(settings: Settings) -> Archive:
    """One open archive per settings in this process (tasks and workers get settings, not connections). Its
    object store remembers what the flow wrote and read a moment ago (`open_archive(remember_objects=True)`)."""
    from storage import open_archive

    with _archives_lock:  # task threads start together; opening runs migrations, so only once
        if settings not in _archives:
            _archives[settings] = open_archive(settings, remember_objects=True)
        return _archives[settings]


# Runs beside the temporary Prefect server: when the dach process that started it is gone (even by kill -9),
# the server goes too. It asks every half second; its own parent changing means that process has died.
_WATCHDOG = """
import os, signal, sys, time
parent, server = int(sys.argv[1]), int(sys.argv[2])
def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
while alive(server):
    time.sleep(0.5)
    if os.getppid() != parent:
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 0.0)):
            try:
                os.kill(server, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while alive(server) and time.monotonic() < deadline:
                time.sleep(0.1)
        break
"""


# The temporary server's process: uvicorn serving Prefect's app, with the patient background worker of `dach
# prefect-server` (flows/prefect_server.py): its background worker looked for work four times a second beside the
# pages the command reads meanwhile. (Not its web server ticking once a second: a stop would take up to a second.)
_SERVE = """
import sys
from flows.prefect_server import patient_background_worker
patient_background_worker()
from uvicorn.main import main
sys.argv[0] = "uvicorn"
main()
"""


# A temporary Prefect server (`dach intake`, an embedded `dach serve`) leaves off the services production's server
# leaves off (prefect-server.env): dach has no automations, so neither the store of every event nor the triggers
# and actions that read them; flow and task runs are recorded as before (the task run recorder stays on).
TEMPORARY_SERVER_SERVICES = {
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
}


def configure_prefect(
    settings: Settings, *, verbose: bool = False, start_server_now: bool = False, server_on_cue: bool = False
) -> None:
    """Prefect's environment for this process. `start_server_now`: without PREFECT_API_URL, start the temporary
    Prefect server at once, beside the rest of the command's start-up (`own_temporary_server`), instead of
    with the first flow run. `server_on_cue`: the same server, its address set now (Prefect reads it once, at
    import), but started only when the command says so (`start_temporary_server`) or waits for it."""
    home = settings.prefect_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # nor the client's: Prefect's SDK telemetry, which in an interactive terminal reports a new installation
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        # dach keeps no Prefect blocks: a temporary server on a new home does not write Prefect's ~70 block
        # types into its database first (1.5 CPU-s of its start-up)
        "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
        **TEMPORARY_SERVER_SERVICES,
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    if os.environ.get("PREFECT_API_URL"):
        # A configured server: Prefect starts no temporary one, so there is none to supervise, and importing
        # Prefect's server side for it cost every command 3 CPU-s before its first page.
        return
    if start_server_now or server_on_cue:
        own_temporary_server(home, start=start_server_now)
    else:
        supervise_temporary_server()


class TemporaryServer:
    """A Prefect server for this process alone, started before Prefect is imported, stopped when it ends.

    Prefect's own temporary server starts with the first flow run, after the command has imported Prefect's
    whole server side (2.4 CPU-s the client never uses) and admitted and opened everything, and the command
    waits for it doing nothing: 11 CPU-s on a new Prefect home, 5 on one used before. Started by the command
    instead (`dach intake`: once its head start filed the first document, `flows.submit.intake_files`), the
    server imports and migrates on the other core while this process reads and files. The rules of Prefect's
    temporary server hold: one start at a time per PREFECT_HOME (a file lock held until the server answers, so
    two never migrate one database at once), a port the kernel just handed out (when the server is owned, as
    Prefect reads its address once: a port taken meanwhile fails the start, told to the command), a watchdog
    that stops the server when this process dies, even by kill -9, and a stop at exit."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.error: BaseException | None = None
        self._up = threading.Thread(target=self._start, name="dach-prefect-server", daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def started(self) -> bool:
        return self._up.ident is not None

    def start(self) -> None:
        if self.started:
            return
        atexit.register(self._stop_at_exit)
        self._up.start()

    def _stop_at_exit(self) -> None:
        # A server stopped half-way through migrating a new Prefect database leaves it half made (SQLite runs
        # Prefect's migrations without a transaction), and every later start fails on it: a command that ends
        # before it needed the server (every file already filed) lets the start finish first.
        self._up.join()
        self.stop()

    def _start(self) -> None:
        try:
            with open(self.home / "temporary-server.lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the handle closes, or the process dies
                prefect_home = Path(os.environ.get("PREFECT_HOME") or self.home)  # where its database is
                new = seed_prefect_database(prefect_home)
                self._launch()
                self._wait_until_up(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 180)))
                if new:
                    keep_prefect_database(prefect_home)
        except BaseException as exc:  # raised to the command by `wait`
            self.error = exc
            self.stop()

    def _launch(self) -> None:
        from importlib.util import find_spec

        spec = find_spec("prefect")  # where it is, without importing it (3 CPU-s the server spends itself)
        assert spec is not None and spec.origin is not None
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env |= {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        command = [sys.executable, "-c", _SERVE, "--app-dir", str(Path(spec.origin).parent.parent)]
        command += ["--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        log.info("starting a temporary Prefect server on %s", self.api_url)
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
        _watch(self.process.pid)

    def _wait_until_up(self, timeout_s: float) -> None:
        import urllib.error
        import urllib.request

        assert self.process is not None
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {self.process.returncode}")
            try:
                with direct.open(f"{self.api_url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout_s:.0f} s")

    def wait(self) -> None:
        """Block until the server answers; raise what kept it from starting."""
        self._up.join()
        if self.error is not None:
            raise RuntimeError(f"could not start a temporary Prefect server: {self.error}") from self.error

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _empty_database() -> Path | None:
    """Where this machine keeps an empty Prefect database at the installed Prefect's schema (None: Prefect's
    database is not the SQLite file in `home`, or Prefect is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    if any(os.environ.get(f"PREFECT_{part}_DATABASE_CONNECTION_URL") for part in ("API", "SERVER")):
        return None
    try:
        prefect_version = version("prefect")
    except PackageNotFoundError:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "dach" / f"prefect-{prefect_version}-empty.db"


def seed_prefect_database(home: Path) -> bool:
    """A Prefect home without a database gets a copy of the empty one migrated before (`keep_prefect_database`):
    Prefect's ~100 migrations of a new SQLite database cost its temporary server 3.4 of its 6.1 CPU-s of start-up.
    True if `home` had no database and got none: the server migrates a new one, to keep once it is up."""
    database = home / "prefect.db"
    empty = _empty_database()
    if empty is None or database.exists():
        return False
    try:
        home.mkdir(parents=True, exist_ok=True)
        part = database.with_suffix(".db.part")
        shutil.copyfile(empty, part)
        part.replace(database)
        return False
    except OSError:  # none kept yet (or the cache is unreadable): the server migrates a new database
        return True


def keep_prefect_database(home: Path) -> None:
    """Keep the database a temporary server just migrated in a new home, before it records any run, for the
    next new home (the SQLite backup API: a consistent copy while the server holds it open). Written to a part
    file and renamed: two commands keeping it at once leave one whole copy."""
    empty = _empty_database()
    if empty is None:
        return
    try:
        empty.parent.mkdir(parents=True, exist_ok=True)
        part = empty.with_name(f"{empty.name}.{os.getpid()}.part")
        with (
            contextlib.closing(sqlite3.connect(home / "prefect.db")) as source,
            contextlib.closing(sqlite3.connect(part)) as copy,
        ):
            source.backup(copy)
        part.replace(empty)
    except (OSError, sqlite3.Error) as exc:  # only the next new home's start-up is slower
        log.info("could not keep an empty Prefect database in %s: %s", empty.parent, exc)


_temporary: TemporaryServer | None = None


def own_temporary_server(home: Path, *, start: bool = True) -> None:
    """Give this process a temporary Prefect server and point Prefect at it (before Prefect is imported, which
    reads PREFECT_API_URL once); start it now, or (`start=False`) when `start_temporary_server` is called."""
    global _temporary
    if _temporary is None:
        _temporary = TemporaryServer(home)
        os.environ["PREFECT_API_URL"] = _temporary.api_url
    if start:
        _temporary.start()


def start_temporary_server() -> None:
    """Start this process's temporary Prefect server, if it has one and it is not started yet."""
    if _temporary is not None:
        _temporary.start()


def release_unstarted_server() -> None:
    """The command is done: a temporary server it was given but never started (nothing to read: a path that is
    not there, a batch of files filed before) takes its address back out of the environment, so that nothing
    this process starts afterwards (a `dach worker` of a test's `dach serve`) waits for a port where no server
    will ever answer."""
    global _temporary
    if _temporary is None or _temporary.started:
        return
    if os.environ.get("PREFECT_API_URL") == _temporary.api_url:
        del os.environ["PREFECT_API_URL"]
    _temporary = None


def wait_for_temporary_server() -> None:
    """Before the first flow run: start this process's temporary server if it is not started yet, and wait
    until it answers."""
    start_temporary_server()
    if _temporary is not None:
        _temporary.wait()


def _watch(server_pid: int) -> None:
    subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(server_pid)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal reaches dach, which stops the server itself
        close_fds=True,
    )


def supervise_temporary_server() -> None:
    """Give every temporary Prefect server this process starts a watchdog that stops it when this process
    dies: 17 of 17 `kill -9` of `dach intake` left an orphaned server (~240 MB each) before."""
    from prefect.server.api import server as prefect_server

    starter = prefect_server.SubprocessASGIServer._run_uvicorn_command
    if getattr(starter, "dach_supervised", False):
        return

    def start_supervised(self: Any) -> subprocess.Popen[Any]:
        process: subprocess.Popen[Any] = starter(self)
        _watch(process.pid)
        return process

    start_supervised.dach_supervised = True  # type: ignore[attr-defined]
    prefect_server.SubprocessASGIServer._run_uvicorn_command = start_supervised  # type: ignore[method-assign]
    prefect_server.SubprocessASGIServer.start = _serialised(prefect_server.SubprocessASGIServer.start)  # type: ignore[method-assign]


_starting = threading.Lock()


def _serialised(start: Any) -> Any:
    """The temporary server's start, made safe to race: one start at a time in this process (a second thread
    waits until the server answers instead of using it half up), one at a time per PREFECT_HOME across
    processes (a file lock: two servers migrating one prefect.db at once failed with "table
    artifact_collection already exists", then restarted on new ports until the start-up timed out), a port
    the kernel just handed out rather than a guess in 8000-8999, and a server that did not come up stopped
    before the error is raised (it held the database and a port, and a second try started beside it)."""

    def start_once(self: Any, timeout: int | None = None) -> None:
        with _starting, _home_lock():
            if self.running:
                return
            for attempt in (1, 2):
                if self.port is None:
                    self.port = _free_port()
                try:
                    start(self, timeout)
                    return
                except Exception:
                    _stop_half_started(self)
                    if attempt == 2:
                        raise

    start_once.dach_serialised = True  # type: ignore[attr-defined]
    return start if getattr(start, "dach_serialised", False) else start_once


@contextlib.contextmanager
def _home_lock() -> Any:
    from prefect.settings import PREFECT_HOME

    home = PREFECT_HOME.value()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "temporary-server.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes, or the process dies
        yield


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop_half_started(server: Any) -> None:
    process = server.server_process
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    server.server_process, server.running, server.port = None, False, None


def start_prefect_api() -> None:
    """Start (or reach) the Prefect API now rather than on the first flow run.

    Without PREFECT_API_URL, Prefect starts a temporary local server on first use, which costs seconds; a
    long-running shell (the web app) pays that at start-up instead of on the first upload of the day.
    """
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.api_healthcheck()


def wait_for_prefect_api(
    stop: threading.Event, *, timeout_s: float | None = None, every_s: float = 2.0, tell_every_s: float = 30.0
) -> bool:
    """Reach the Prefect API before a worker takes its first lease: start the temporary local server when none
    is configured, or wait until the configured one answers (a worker container starts beside the server).

    A lease runs from the moment the file is claimed; under load the temporary server took longer to start
    than the first 60 s lease lasted, so the file's lease ran out before it was read. True once the API
    answers; False if `stop` is set or `timeout_s` passes first."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    started = told = time.monotonic()
    while not stop.is_set():
        try:
            with get_client(sync_client=True) as client:
                problem = client.api_healthcheck()
        except (OSError, RuntimeError) as exc:  # the temporary server did not come up in time: try again
            problem = exc
        if problem is None:
            return True
        now = time.monotonic()
        if timeout_s is not None and now - started >= timeout_s:
            return False
        if now - told >= tell_every_s:
            told = now
            where = PREFECT_API_URL.value() or "the temporary server"
            log.warning("the Prefect API (%s) does not answer after %.0f s: %s", where, now - started, problem)
        stop.wait(every_s)
    return False


def stop_prefect_api() -> None:
    """Stop the temporary local Prefect server this process started, if any (a served app's shutdown)."""
    from prefect.server.api.server import SubprocessASGIServer

    for server in list(SubprocessASGIServer._instances.values()):
        server.stop()


@contextlib.contextmanager
def holding_lease(archive: Archive, claim: IntakeClaim, owner: str, every_s: float) -> Iterator[None]:
    """Renew the file's lease while the flow runs: a worker that dies stops renewing, and the reaper gives
    the file to another worker once the lease runs out."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every_s):
            try:
                if not archive.heartbeat_intake(claim.sha256, owner):
                    log.warning("%s: the lease of %s was lost; another worker takes the file", claim.sha256[:12], owner)
                    return
            except DachError as exc:  # the database is briefly away: the next beat tries again
                log.warning("%s: heartbeat failed: %s", claim.sha256[:12], exc)

    beater = threading.Thread(target=beat, name="dach-lease", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
