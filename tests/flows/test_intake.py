"""The intake flow, end to end on the embedded default: scans in, filed documents out, bad files set aside."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pikepdf
import pytest

from schemas.intake import BatchReport, IntakeClaim, IntakeStatus
from schemas.settings import Settings
from tests.bad_inputs import BAD_INPUT_CODES, bad_inputs, blank_page_png

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from lab.samples import generate

    out = tmp_path_factory.mktemp("samples")
    files = generate(out, count=3, seed=4711, kinds=["notice", "passport", "birth_certificate"], difficulty="clean")
    return sorted(files)


def _intake(paths: list[Path], data_dir: Path) -> BatchReport:
    from flows.submit import intake_files

    return intake_files(paths, Settings(data_dir=data_dir))


@pytest.mark.slow
def test_every_bad_input_is_quarantined_with_its_own_code_and_the_rest_is_filed(
    tmp_path: Path, samples: list[Path]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, data in bad_inputs().items():
        (inbox / name).write_bytes(data)
    good = samples[0]
    report = _intake([inbox, good], tmp_path / "var")

    by_file = {Path(item.file).name: item for item in report.items}
    for name, code in BAD_INPUT_CODES.items():
        item = by_file[name]
        assert item.status is IntakeStatus.QUARANTINED, name
        assert item.error is not None and item.error.code == code, (name, item.error)
        assert item.quarantine_id, name
        assert len(item.error.message) > 20, "the message must say what is wrong and what to do"
    filed = [i for i in report.items if Path(i.file) == good]
    assert filed and all(i.status in (IntakeStatus.FILED, IntakeStatus.NEEDS_REVIEW) for i in filed)
    assert all(i.document_id for i in filed)


@pytest.mark.slow
def test_the_same_bytes_twice_are_one_object_and_one_document(tmp_path: Path, samples: list[Path]) -> None:
    first = _intake(samples, tmp_path / "var")
    again = _intake(samples, tmp_path / "var")
    assert {i.status for i in again.items} == {IntakeStatus.DUPLICATE}
    assert sorted(i.document_id or "" for i in again.items) == sorted(i.document_id or "" for i in first.items)
    originals = list((tmp_path / "var" / "objects").rglob("*"))
    assert originals, "the originals are kept in the local object folder"


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DACH_DATA_DIR": str(data_dir)}
    return subprocess.run([DACH, *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_extract_prints_the_json_contract_and_exits_1_when_a_file_was_rejected(
    tmp_path: Path, samples: list[Path]
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.png"
    blank.write_bytes(blank_page_png())
    done = _run(["extract", "--json", str(samples[0]), str(empty), str(blank)], tmp_path / "var")
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["results"]
    assert [r["file"] for r in results] == [str(samples[0]), str(empty), str(blank)]
    good, bad, lone_blank = results
    assert good["error"] is None and good["documents"]
    for doc in good["documents"]:
        assert set(doc) >= {"type", "pages", "confidence", "review", "fields"}
        assert all(isinstance(p, int) and p >= 1 for p in doc["pages"])
    assert bad["error"]["code"] == "empty_file" and bad["documents"] == []
    assert lone_blank["error"] is None
    assert [(d["type"], d["review"]) for d in lone_blank["documents"]] == [("other", True)]


@pytest.mark.slow
def test_a_successful_intake_prints_no_traceback_or_error_line(tmp_path: Path, samples: list[Path]) -> None:
    done = _run(["intake", str(samples[0])], tmp_path / "var")
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert not [line for line in output.splitlines() if " ERROR " in line or line.startswith("ERROR")]


@pytest.mark.slow
def test_the_temporary_prefect_server_starts_once_the_first_document_is_filed(tmp_path: Path) -> None:
    """`dach intake` started its temporary Prefect server with the command: its 3-5 CPU-s of start-up ran beside
    the first pages' reading on two cores, and the first document waited for them (issue 16). The server starts
    once the head start filed the first document, and the flow then files the rest."""
    from lab.samples import generate

    # seed 66: a 7-page stack of four documents (3 + 2 + 1 + 1 pages), no separator sheets
    stack = generate(tmp_path / "in", count=1, seed=66, kinds=["stack"], difficulty="clean", formats=["pdf-image"])[0]
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"DACH_DATA_DIR": str(tmp_path / "var"), "PREFECT_HOME": str(tmp_path / "prefect")}
    done = subprocess.run([DACH, "-v", "intake", str(stack)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stderr.splitlines()
    started = [n for n, line in enumerate(lines) if "starting a temporary Prefect server" in line]
    filed = [n for n, line in enumerate(lines) if "filed after reading page" in line]
    assert len(started) == 1 and filed, done.stderr[-3000:]
    assert filed[0] < started[0], "the first document was filed before the temporary server started"
    assert "before this flow run started" in done.stderr, "the flow took over what the head start read and filed"


# --- streaming: documents are filed as soon as the next one has begun --------------------------------------


def _pdf_of(parts: list[bytes]) -> bytes:
    """One PDF of the pages of several PDFs, in order (a stack put together on the scanner's feeder)."""
    import io

    import pikepdf

    out = pikepdf.Pdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    for source in sources:
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _whole_file_analysis(path: Path, settings: Settings) -> list[tuple[tuple[int, ...], str]]:
    """What the classifiers say about the whole file read at once (the non-streaming reference)."""
    from classifiers import analyse
    from ocr.reader import ReadOptions, read_pages

    readings = read_pages(path.read_bytes(), ReadOptions.from_settings(settings, want_pdf=False), workers=2)
    analysis = analyse([r.text for r in readings], review_threshold=settings.review_threshold)
    return [(d.pages, d.type.value) for d in analysis.documents]


@pytest.mark.slow
def test_documents_stream_out_while_the_stack_is_read_and_equal_the_whole_file_analysis(tmp_path: Path) -> None:
    import time

    from flows.submit import intake_files
    from lab.samples import generate

    # seed 66: a 7-page stack of four documents (3 + 2 + 1 + 1 pages), no separator sheets
    stack = generate(tmp_path / "in", count=1, seed=66, kinds=["stack"], difficulty="clean", formats=["pdf-image"])[0]
    settings = Settings(data_dir=tmp_path / "var")
    heard: list[tuple[float, str]] = []
    started = time.monotonic()
    report = intake_files(
        [stack],
        settings,
        on_item=lambda item: heard.append((time.monotonic() - started, str(item.document_id))),
    )
    finished = time.monotonic() - started
    assert sorted(d for _, d in heard) == sorted(str(i.document_id) for i in report.items), "each told once"
    assert len(report.items) >= 2
    first = min(t for t, _ in heard)
    assert first < finished - 1.0, f"the first document ({first:.1f} s) came only with the rest ({finished:.1f} s)"
    streamed = [(i.pages, i.type.value if i.type else "") for i in report.items]
    assert streamed == _whole_file_analysis(stack, settings)
    from flows.intake import archive_for
    from schemas.record import Actor, Department, Role

    clerk = Actor(name="abh", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)
    for item in report.items:  # each document of the stack has an original of exactly its pages
        own = archive_for(settings).read_file(str(item.document_id), "original", clerk)
        with pikepdf.open(io.BytesIO(own)) as pdf:
            assert len(pdf.pages) == len(item.pages)
    again = intake_files([stack], settings)
    assert {i.status for i in again.items} == {IntakeStatus.DUPLICATE}


@pytest.mark.slow
def test_a_document_filed_early_that_a_later_separator_sheet_merges_is_refiled_not_left_in_the_record(
    tmp_path: Path,
) -> None:
    from flows.runtime import archive_for
    from flows.submit import intake_files
    from lab.samples import generate
    from ocr.separator import separator_sheet_pdf
    from schemas.record import Actor, Department, Role

    # A passport page then a certificate: read alone, the passport ends at page 1 (an identity document is one
    # page) and is filed early. The separator sheet after the certificate makes the file one split at
    # separators, where pages 1-2 are one document: the early filing must become that document, not stay.
    passport = generate(tmp_path / "p", count=1, seed=5, kinds=["passport"], difficulty="clean", formats=["pdf-image"])
    notice = generate(
        tmp_path / "n", count=1, seed=5, kinds=["birth_certificate"], difficulty="clean", formats=["pdf-image"]
    )
    path = tmp_path / "stack.pdf"
    path.write_bytes(
        _pdf_of([passport[0].read_bytes(), notice[0].read_bytes(), separator_sheet_pdf(), notice[0].read_bytes()])
    )
    settings = Settings(data_dir=tmp_path / "var")
    heard: list[tuple[tuple[int, ...], str | None]] = []
    report = intake_files([path], settings, on_item=lambda item: heard.append((item.pages, item.document_id)))

    reference = _whole_file_analysis(path, settings)
    assert [(i.pages, i.type.value if i.type else "") for i in report.items] == reference
    assert not [i for i in report.items if any("filed while" in n for n in i.review_notes)]
    early_id = next(doc_id for pages, doc_id in heard if pages == (1,))
    assert (1, 2) in [pages for pages, doc_id in heard if doc_id == early_id], "the early document grew to 1-2"

    clerk = Actor(name="abh", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)
    archive = archive_for(settings)
    early = archive.get_document(str(early_id), clerk)
    assert early.pages == (1, 2) and [v.pages for v in early.versions] == [(1,), (1, 2)]
    assert early.versions[-1].kind == "pages" and early.versions[-1].author == "intake"
    pdf = archive.read_file(early.id, "searchable_pdf", clerk)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 2, "its searchable PDF holds both pages"
    again = intake_files([path], settings)
    assert {i.status for i in again.items} == {IntakeStatus.DUPLICATE}
    assert sorted(str(i.document_id) for i in again.items) == sorted(str(i.document_id) for i in report.items)


def test_a_document_whose_last_page_says_so_is_filed_without_waiting_for_the_next_page() -> None:
    """'Seite 3 von 3' ends a notice: it is settled as soon as that page is read (the first result of a stack
    comes one page read sooner); a notice whose pages so far end in 'Seite 2 von 3' still waits."""
    import random

    from classifiers import analyse
    from classifiers.settling import settled_documents
    from classifiers.split import ends_document
    from classifiers.text import page_from_lines
    from lab.samples.content import make_document
    from schemas.documents import DocumentType, TextSource

    rng = random.Random(3)
    content = make_document(rng, DocumentType.NOTICE)
    while len(content.pages) < 2:
        content = make_document(rng, DocumentType.NOTICE)
    pages = [
        page_from_lines(n, [line.text for line in lines], source=TextSource.OCR)
        for n, lines in enumerate(content.pages, start=1)
    ]
    assert ends_document(pages[-1]) and not ends_document(pages[0])
    review = Settings().review_threshold
    whole = analyse(pages, review_threshold=review)
    assert [d.pages for d in whole.documents] == [tuple(range(1, len(pages) + 1))]
    assert settled_documents(whole, pages) == whole.documents, "the last page closes it: filed now"
    so_far = analyse(pages[:-1], review_threshold=review)
    assert settled_documents(so_far, pages[:-1]) == (), "more pages announced: it may still grow"


@pytest.mark.slow
def test_one_run_reads_the_files_its_worker_claims_next_each_under_its_own_lease(
    tmp_path: Path, samples: list[Path]
) -> None:
    """A flow run per file cost a dozen Prefect API calls and a listener thread, more than a one-page scan: a
    run goes on with the files its worker claims for it. Each next file is claimed for the run before the one
    read is finished, so a live run always holds a lease (the reaper's sweep never takes it for stranded)."""
    from flows.intake import bounded
    from flows.runtime import archive_for
    from flows.submit import submit_paths
    from schemas.intake import FileState
    from schemas.record import SYSTEM_ACTOR

    settings = Settings(data_dir=tmp_path / "var")
    _files, admission = submit_paths(samples, settings)
    archive = archive_for(settings)
    owner = "worker-1/0"
    first = archive.claim_intake(owner)
    assert first is not None
    archive.note_flow_run(first.sha256, owner, "run-1")
    live_when_asked: list[set[str]] = []

    def next_claim() -> IntakeClaim | None:
        live_when_asked.append(archive.live_flow_runs())
        return archive.claim_intake(owner, flow_run_id="run-1")

    report = bounded(settings)(first.sha256, owner, settings, None, 60.0, next_claim)

    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert {f.status for f in progress.files} <= {FileState.FILED, FileState.NEEDS_REVIEW}, progress
    assert len({item.file for item in report.items}) == len(samples), "one run, every file"
    assert len(live_when_asked) == len(samples), "asked after each file; the last time the queue was empty"
    assert all("run-1" in live for live in live_when_asked), "the run held a lease whenever it asked for more"
    assert archive.live_flow_runs() == set()


def test_pages_read_and_documents_filed_while_the_prefect_server_starts_are_not_done_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dach intake` reads its first file and files its documents while its temporary Prefect server starts
    (issue 16: the first document came only after the server's start-up, the flow run's creation and the flow
    engine's start); the flow takes the file over from there. Every page is still read exactly once, every
    document filed once, and the outcome is that of reading without the head start."""
    import threading

    from flows import ahead
    from flows import intake as intake_flow
    from flows.submit import intake_files
    from lab.samples import generate
    from storage import intake_filing

    stack = generate(tmp_path / "in", count=1, seed=66, kinds=["stack"], difficulty="clean", formats=["pdf-image"])[0]
    reads: list[int] = []
    filings: list[tuple[tuple[int, ...], str]] = []
    lock = threading.Lock()
    real_read, real_file = intake_flow.read_page_of, intake_filing.file_read_document
    first_filed = threading.Event()

    def counted(data: bytes, page: int, options: object) -> object:
        with lock:
            reads.append(page)
        return real_read(data, page, options)  # type: ignore[arg-type]

    def filed(archive: object, claim: object, document: object, *args: object) -> object:
        item = real_file(archive, claim, document, *args)  # type: ignore[arg-type]
        with lock:
            filings.append((document.pages, threading.current_thread().name))  # type: ignore[attr-defined]
        first_filed.set()
        return item

    monkeypatch.setattr(intake_flow, "read_page_of", counted)
    monkeypatch.setattr(ahead, "read_page_of", counted)
    monkeypatch.setattr(intake_filing, "file_read_document", filed)
    taken: list[int] = []
    take = ahead.Prefetch.take

    def noted(self: ahead.Prefetch, key: str, page: int, options: object) -> object:
        reading = take(self, key, page, options)  # type: ignore[arg-type]
        if reading is not None:
            taken.append(page)
        return reading

    monkeypatch.setattr(ahead.Prefetch, "take", noted)
    # the server answers once the head start filed its first document
    monkeypatch.setattr("flows.submit.wait_for_temporary_server", lambda: first_filed.wait(120))

    report = intake_files([stack], Settings(data_dir=tmp_path / "var"))
    assert sorted(reads) == list(range(1, 8)), f"each of the 7 pages read once: {sorted(reads)}"
    streamed = [(i.pages, i.type.value if i.type else "") for i in report.items]
    assert streamed == _whole_file_analysis(stack, Settings(data_dir=tmp_path / "var"))
    assert sorted(pages for pages, _ in filings) == sorted(i.pages for i in report.items), "each document filed once"
    assert filings[0][1] == "dach-head-start", f"the first document was filed before the flow ran: {filings}"
    assert taken or len(filings) == len(report.items), "pages the head start did not reach were taken by the flow"


def test_a_file_the_flow_never_took_over_goes_back_to_the_queue(tmp_path: Path) -> None:
    """The Prefect API never answered: the file the head start claimed (and maybe filed documents of) is given
    back to the queue, so the next `dach intake` reads it, instead of staying held until its lease runs out."""
    from flows import ahead
    from flows.runtime import archive_for
    from flows.submit import submit_paths
    from flows.worker import Worker
    from lab.samples import generate
    from schemas.intake import FileState
    from schemas.record import SYSTEM_ACTOR

    settings = Settings(data_dir=tmp_path / "var")
    scan = generate(tmp_path / "in", count=1, seed=4711, kinds=["notice"], difficulty="clean")[0]
    _files, admission = submit_paths([scan], settings)
    queued = [f.sha256 for f in admission.files]
    worker = Worker(settings, use_deployment=False)
    archive = archive_for(settings)
    from flows.stack import Stack

    def stack_for(claim: IntakeClaim) -> Stack:
        return Stack(claim, settings, lambda item: None)

    with ahead.head_start(archive, queued, settings, lambda: worker.claim(sha256s=queued), stack_for, 60.0) as held:
        assert held is not None and held.sha256 == queued[0]
        assert archive.queued_intake(queued) == []
    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert [f.status for f in progress.files] == [FileState.QUEUED]


def test_the_read_ahead_goes_on_until_the_flow_takes_its_first_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-ahead stopped when the Prefect server answered, and the second or so the flow then took to start
    left the parser processes idle (issue 16); it now stops when the flow takes its first page: the pages in hand
    are the flow's, those not started are read by the flow's own steps (each page still read once)."""
    import threading

    from flows import ahead as intake_flow
    from ocr.reader import PageReading, ReadOptions
    from schemas.documents import PageText, TextSource

    second_page = threading.Event()
    read: list[int] = []

    def reading(data: bytes, page: int, options: ReadOptions) -> PageReading:
        read.append(page)
        if page == 2:
            second_page.wait(10)  # still in hand when the flow takes the first page
        return PageReading(text=PageText(page=page, width=1, height=1, source=TextSource.OCR), pdf=None)

    class Store:
        def get_object(self, key: str) -> bytes:
            return b"scan"

    monkeypatch.setattr(intake_flow, "read_page_of", reading)
    options = ReadOptions()
    ahead = intake_flow.Prefetch(1)
    ahead.start(Store(), [("scan", 4)], options, pages=8)  # type: ignore[arg-type]
    for _ in range(200):  # the server answered and the flow starts: the reading goes on meanwhile
        if read == [1, 2]:
            break
        threading.Event().wait(0.05)
    assert read == [1, 2]
    first = ahead.take("scan", 1, options)
    assert first is not None and first.text.page == 1
    second_page.set()
    second = ahead.take("scan", 2, options)
    assert second is not None and second.text.page == 2, "a page in hand when the flow began is the flow's"
    threading.Event().wait(0.3)  # time enough for a read-ahead still going to start the third page
    assert ahead.take("scan", 3, options) is None, "a page not started is read by the flow"
    assert read == [1, 2]


def test_the_head_start_begins_before_prefect_is_imported() -> None:
    """`dach intake`'s head start read and filed with the flow's stack from `flows.intake`, so it began only once
    Prefect was imported (1-2 CPU-s beside the first pages' reading and the starting server, issue 16): the
    stack lives where Prefect is not imported."""
    code = "import sys, flows.ahead, flows.stack, flows.submit; print(sorted(m for m in sys.modules if 'prefect' in m))"
    python = str(ROOT / ".venv" / "bin" / "python")
    done = subprocess.run([python, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_waiting_for_the_first_document_ends_when_the_head_start_ends_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dach intake` imports Prefect only once the head start filed its first document; a head start that
    ends without one (no page read ahead, an unreadable page, the store away) must not keep it waiting."""
    import contextlib
    import threading

    from flows import ahead
    from flows.stack import Stack
    from ocr.reader import ReadOptions
    from schemas.record import SYSTEM_ACTOR

    claim = IntakeClaim(
        sha256="a" * 64, object_key="k", original_name="scan.pdf", batch_id="b", uploader=SYSTEM_ACTOR, attempt=1
    )
    claim = claim.model_copy(update={"page_count": 3})
    monkeypatch.setattr(ahead, "archive_for", lambda settings: None)
    monkeypatch.setattr(ahead, "holding_lease", lambda *args, **kwargs: contextlib.nullcontext())
    monkeypatch.setattr("flows.stack.warm_filing", lambda settings: None)
    stack = Stack(claim, Settings(data_dir=tmp_path / "var"), lambda item: None)
    head = ahead.HeadStart(stack, "owner", ahead.Prefetch(1), ReadOptions(), 60.0)  # nothing read ahead
    monkeypatch.setattr(ahead, "_head_start", head)
    head.start()
    waiting = threading.Thread(target=ahead.wait_for_first_document, daemon=True)
    waiting.start()
    waiting.join(10)
    assert not waiting.is_alive(), "the command waited for a first document the head start never files"
    assert not stack.early
