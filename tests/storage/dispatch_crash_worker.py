"""A worker to be killed between filing and dispatch: files degree certificates START..START+COUNT-1,
dispatching after every few, and prints "ACK <i> <document id>" once a document is filed.

    python -m tests.storage.dispatch_crash_worker START COUNT     (settings from DACH_* variables)

Used by `test_dispatch_crash.py` and `tests/benchmarks/dispatch.py`, which kill it with SIGKILL at random
moments (while filing, while dispatching, between the two). Document i always has the same original bytes,
so running it again finds every filed document as a duplicate.
"""

from __future__ import annotations

import sys

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from storage import open_archive
from tests.storage.conftest import Filer

DISPATCH_EVERY = 3


def main() -> None:
    start, count = int(sys.argv[1]), int(sys.argv[2])
    archive = open_archive(Settings())
    filer = Filer(archive)
    archive.dispatch()  # warm up (imports, connections) before saying ready
    print("READY", flush=True)
    for i in range(start, start + count):
        request = filer.request(
            DocumentType.DEGREE_CERTIFICATE,
            surname=f"KILL{i % 11}",
            number=f"K{i:07d}",
            born=f"19{50 + i % 40}-01-01",
            original=f"dispatch crash original {i}".encode() * 40,
        )
        outcome = archive.file_document(request, SYSTEM_ACTOR)
        print(f"ACK {i} {outcome.document_id} {outcome.status.value}", flush=True)
        if i % DISPATCH_EVERY == 0:
            archive.dispatch(limit=2)  # small batches: more commits for a kill to land between
            print(f"DISPATCHED {i}", flush=True)
    archive.close()


if __name__ == "__main__":
    main()
