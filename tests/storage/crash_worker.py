"""A filing worker to be killed: files documents START..START+COUNT-1 and prints "ACK <i> <document id>" after each.

    python -m tests.storage.crash_worker START COUNT     (settings from DACH_* variables)

Used by `test_crash.py`, which kills it with SIGKILL at random moments. Document i always has the same
original bytes, so running it again must find every acknowledged document as a duplicate.
"""

from __future__ import annotations

import sys

from schemas.documents import DocumentType
from schemas.persons import PersonClaim
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from storage import open_archive
from storage.persons import blocking_keys
from tests.storage.conftest import Filer

TYPES = (DocumentType.PASSPORT, DocumentType.NOTICE, DocumentType.BIRTH_CERTIFICATE)


def main() -> None:
    start, count = int(sys.argv[1]), int(sys.argv[2])
    archive = open_archive(Settings())
    filer = Filer(archive)
    blocking_keys(PersonClaim(surname="WARM UP"))  # import the matcher before saying ready
    print("READY", flush=True)
    for i in range(start, start + count):
        request = filer.request(
            TYPES[i % len(TYPES)],
            surname=f"CRASH{i % 7}",
            number=f"C{i:07d}",
            original=f"crash test original {i}".encode() * 50,
        )
        outcome = archive.file_document(request, SYSTEM_ACTOR)
        print(f"ACK {i} {outcome.document_id} {outcome.status.value}", flush=True)
    archive.close()


if __name__ == "__main__":
    main()
