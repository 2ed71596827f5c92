"""`dach prefect-server` is Prefect's server with a patient background worker: docket looks for work every 2 s,
not every 250 ms, and beats every 10 s, not every 2 s (issue 12: that polling was most of an idle server's CPU).
The servers the benchmarks and the scheduler test start run through it, so this only checks that the patch
reaches the names the server looks up, and fails when an upgraded Prefect looks them up elsewhere. uvicorn's main
loop, which ticked ten times a second, ticks once a second.
"""

from __future__ import annotations

import asyncio
import types
from datetime import timedelta
from pathlib import Path

import pytest


def _code_named(code: types.CodeType, name: str) -> types.CodeType:
    """The code object of the function `name` defined (at any depth) inside `code`."""
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if const.co_name == name:
                return const
            try:
                return _code_named(const, name)
            except LookupError:
                pass
    raise LookupError(name)


def test_the_server_builds_its_docket_and_worker_from_the_names_the_patch_replaces() -> None:
    from prefect.server.api import background_workers, server

    wrapped = background_workers.background_worker.__wrapped__  # type: ignore[attr-defined]
    assert "Worker" in wrapped.__code__.co_names
    assert "Docket" in _code_named(server.create_app.__code__, "lifespan").co_names


def test_the_patched_worker_looks_every_2_s_and_beats_every_10_s(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.server.api import background_workers, server

    from flows.prefect_server import CHECK_EVERY, HEARTBEAT_EVERY, patient_background_worker

    monkeypatch.setattr(background_workers, "Worker", background_workers.Worker)  # restored after the test
    monkeypatch.setattr(server, "Docket", server.Docket)
    before = background_workers.Worker
    patient_background_worker()
    patient_background_worker()  # a second call changes nothing
    assert background_workers.Worker.__mro__[1] is before

    async def built() -> None:
        async with server.Docket(name="dach-test", url="memory://dach-test") as docket:
            assert docket.heartbeat_interval == HEARTBEAT_EVERY
            worker = background_workers.Worker(docket)
            assert worker.minimum_check_interval == CHECK_EVERY and worker.scheduling_resolution == CHECK_EVERY
            explicit = background_workers.Worker(docket, minimum_check_interval=timedelta(seconds=1))
            assert explicit.minimum_check_interval == timedelta(seconds=1)  # what a caller passes still wins

    asyncio.run(built())


def test_the_web_server_ticks_once_a_second_and_still_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's main loop woke ten times a second (0.2 % of a core idle): `uvicorn.run` (what `prefect server
    start` calls) now builds a server that ticks every TICK_S, passing uvicorn's own count on as if ten tenths
    had passed, so its once-a-second work (the `Date` header) keeps its rhythm, and a stop is still seen."""
    import importlib

    from flows.prefect_server import TICK_S, slow_ticking_web_server

    uvicorn_main = importlib.import_module("uvicorn.main")
    monkeypatch.setattr(uvicorn_main, "Server", uvicorn_main.Server)  # restored after the test
    before = uvicorn_main.Server
    slow_ticking_web_server()
    slow_ticking_web_server()  # a second call changes nothing
    assert uvicorn_main.Server.__mro__[1] is before
    assert "Server" in uvicorn_main.run.__code__.co_names, "uvicorn.run builds its server from the name replaced"

    server = uvicorn_main.Server(config=uvicorn_main.Config(app=lambda *_: None))
    counts: list[int] = []

    async def on_tick(counter: int) -> bool:
        counts.append(counter)
        if len(counts) == 3:
            server.should_exit = True
        return server.should_exit

    server.on_tick = on_tick
    started = asyncio.get_event_loop_policy().new_event_loop()
    try:
        began = started.time()
        started.run_until_complete(server.main_loop())
        took = started.time() - began
    finally:
        started.close()
    assert counts == [0, 10, 20], "each tick counts ten tenths: the Date header is renewed at every tick"
    assert 2 * TICK_S - 0.1 <= took <= 2 * TICK_S + 1.0, f"two ticks took {took:.2f} s"


def test_a_temporary_server_leaves_off_the_services_production_leaves_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """`dach intake`'s temporary server ran the event store and the triggers that production's server leaves off
    (issue 16: CPU of every `dach intake` that nothing dach does reads); the names must be Prefect's own, or the
    setting does nothing."""
    from prefect.settings.models.root import Settings as PrefectSettings

    from flows.runtime import TEMPORARY_SERVER_SERVICES
    from tests.prefect_server import prefect_server_settings

    production = prefect_server_settings()
    for name, value in TEMPORARY_SERVER_SERVICES.items():
        assert production.get(name) == value, f"{name}: production's server runs it as {production.get(name)}"
        monkeypatch.setenv(name, value)
    services = PrefectSettings().server.services  # the triggers' setting also switches their actions off
    assert not services.event_persister.enabled and not services.triggers.enabled
    assert services.task_run_recorder.enabled, "task runs reach the database only through the recorder"


@pytest.mark.slow
def test_the_temporary_server_runs_with_the_patient_background_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dach intake`'s temporary server ran uvicorn as it is: its docket worker looked for work four times a second
    beside the pages the command read (issue 16). It is started through the patient worker, and still answers and
    stops."""
    import urllib.request

    from flows.runtime import TemporaryServer

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    server = TemporaryServer(tmp_path)
    server.start()
    try:
        server.wait()
        assert server.process is not None
        command = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"patient_background_worker()" in command[2], command
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(f"{server.api_url}/health", timeout=30) as answer:
            assert answer.status == 200
    finally:
        server.stop()
    assert server.process is None
