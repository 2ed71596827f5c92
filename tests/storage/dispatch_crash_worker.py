"""A worker to be killed between filing and dispatch: files degree certificates START..START+COUNT-1,
dispatching after every few, and prints "ACK <i> <document id>" once a document is filed.

    python -m tests.storage.dispatch_crash_worker START COUNT     (settings from DACH_* variables)

`work` is also run in a forked child by the benchmark (`tests/benchmarks/dispatch.py crash`), which spares
each of its hundreds of runs the start-up of a fresh interpreter.

Used by `test_dispatch_crash.py` and `tests/benchmarks/dispatch.py`, which kill it with SIGKILL at random
moments (while filing, while dispatching, between the two). Document i always has the same original bytes,
so running it again finds every filed document as a duplicate.
"""

from __future__ import annotations

import sys
from typing import TextIO

from schemas.documents import DocumentType
from schemas.persons import PersonClaim
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from storage import open_archive
from storage.persons import blocking_keys
from tests.storage.conftest import Filer

DISPATCH_EVERY = 3


def warm_up() -> None:
    """Load the person matcher (the first filing would otherwise spend the kill window loading it)."""
    blocking_keys(PersonClaim(surname="WARM UP"))  # the matcher is imported with storage.persons


def work(settings: Settings, start: int, count: int, out: TextIO) -> None:
    """File documents START..START+COUNT-1, dispatching after every few; one line per step on `out`."""
    archive = open_archive(settings)
    filer = Filer(archive)
    warm_up()
    archive.dispatch()  # connections open before saying ready
    print("READY", file=out, flush=True)
    for i in range(start, start + count):
        request = filer.request(
            DocumentType.DEGREE_CERTIFICATE,
            surname=f"KILL{i % 11}",
            number=f"K{i:07d}",
            born=f"19{50 + i % 40}-01-01",
            original=f"dispatch crash original {i}".encode() * 40,
        )
        outcome = archive.file_document(request, SYSTEM_ACTOR)
        print(f"ACK {i} {outcome.document_id} {outcome.status.value}", file=out, flush=True)
        if i % DISPATCH_EVERY == 0:
            archive.dispatch(limit=2)  # small batches: more commits for a kill to land between
            print(f"DISPATCHED {i}", file=out, flush=True)
    archive.close()


def main() -> None:
    work(Settings(), int(sys.argv[1]), int(sys.argv[2]), sys.stdout)


if __name__ == "__main__":
    main()
