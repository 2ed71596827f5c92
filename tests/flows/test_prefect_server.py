"""`dach prefect-server` is Prefect's server with a patient background worker: docket looks for work every 2 s,
not every 250 ms, and beats every 10 s, not every 2 s (issue 12: that polling was most of an idle server's CPU).
The servers the benchmarks and the scheduler test start run through it, so this only checks that the patch
reaches the names the server looks up, and fails when an upgraded Prefect looks them up elsewhere."""

from __future__ import annotations

import asyncio
import types
from datetime import timedelta

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
