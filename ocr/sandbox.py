"""Parsers of untrusted files run here: in worker processes with explicit memory, CPU-time and wall-time limits.

pdfium, pdfminer (pdfplumber), qpdf (pikepdf) and Pillow are large C and Python parsers fed with whatever a
scanner, an e-mail or a stranger at the upload form hands in. A 2.7 KB PDF of nested form XObjects grew to
13.9 GB; a page of 20,000 text lines took 270 s; a crafted file uploaded through the API killed the web
server. So every parse of a file (sniffing and admission, a page image, a text layer, a page or document cut
out of a PDF) runs in a small pool of persistent worker processes:

- each worker's address space is capped (`RLIMIT_AS`, `OcrLimits.parser_memory_mb`), each call gets its own
  CPU-time budget (`RLIMIT_CPU` raised by `parser_cpu_s` before the call) and the caller waits at most
  `parser_wall_s`; a call over a limit kills only its worker, which is replaced, and the file is rejected
  with `ResourceLimit` (`resource_limit`) — the web and flow processes survive;
- workers are started from a fork server (a clean single-threaded process with the parsers imported once),
  never forked from the threaded web or Prefect process, and they see only the bytes they are sent;
- the pool is persistent: a page costs one round trip over a pipe, and a file's bytes cross it once per
  worker (each worker keeps the last file it was sent, by digest), not once per page.

`call(op, data, limits, *args)` is the one door; `ocr.sources.inspect_source` and the page functions of
`ocr.pages` go through it, so every caller (flows, CLI, web uploads) is contained without knowing it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import logging
import multiprocessing
import os
import queue
import resource
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from ocr import confine
from schemas.errors import CorruptFile, DachError, ResourceLimit
from schemas.settings import OcrLimits

log = logging.getLogger(__name__)

# Set in a worker process: calls made there run in place (the worker is the sandbox).
_IN_WORKER = False
# Modules the fork server imports once, so a new worker starts in milliseconds with the parsers loaded.
_PRELOAD = ["ocr.sources", "ocr.pages", "ocr.originals"]


# The operations a worker runs, by name: each lives beside the parser it wraps and calls back into this
# module to be sandboxed, so they are named here (resolved in the worker) rather than imported.
_OPERATIONS = {
    "inspect": "ocr.sources:inspect_here",
    "page_image": "ocr.pages:page_image_here",
    "text_layer": "ocr.pages:text_layer_page_here",
    "pdf_page": "ocr.pages:extract_pdf_page_here",
    "document_original": "ocr.originals:document_original",
    "probe": "ocr.confine:probe_here",
}


def _operation(op: str) -> Callable[..., Any]:
    module, name = _OPERATIONS[op].split(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _operations() -> dict[str, Callable[..., Any]]:
    return {op: _operation(op) for op in _OPERATIONS}


# --- the worker -------------------------------------------------------------------------------------------


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker_main(conn: Connection, memory_mb: int, folder: str | None) -> None:
    """Serve calls until the pipe closes. Each call: (op, digest, data | None, args, cpu seconds)."""
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed over a limit leaves no core file
    _limit_memory(memory_mb)
    operations = _operations()  # every parser is imported before the worker gives up its files
    if folder is not None:
        confine.CONFINEMENT = confine.confine(folder)
        log.debug("parser worker confined: %s", confine.CONFINEMENT)
        if not confine.CONFINEMENT.landlock_abi and confine.CONFINEMENT.uid == 0:
            log.warning("parser worker without Landlock and as root: it can read the machine's files")
    kept_digest, kept = b"", b""
    while True:
        try:
            op, digest, data, args, cpu_s = conn.recv()
        except (EOFError, OSError):
            return
        if data is not None:
            kept_digest, kept = digest, data
        if digest != kept_digest:  # the parent's bookkeeping is wrong: ask for the bytes
            conn.send(("again", None))
            continue
        # The CPU limit is cumulative per process: allow this call `cpu_s` more than used so far.
        soft = int(_cpu_used()) + int(cpu_s) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        try:
            answer: tuple[str, Any] = ("ok", operations[op](kept, *args))
        except DachError as exc:
            answer = ("error", (type(exc).__name__, exc.message))
        except MemoryError:
            answer = ("error", ("ResourceLimit", f"parsing the file needed more than {memory_mb} MiB of memory"))
        except Exception as exc:
            answer = ("error", ("CorruptFile", f"the file cannot be read ({type(exc).__name__}: {str(exc)[:200]})"))
        try:
            conn.send(answer)
        except (OSError, ValueError) as exc:  # an answer too big to pickle or a closed pipe
            conn.send(("error", ("ResourceLimit", f"the parser's answer could not be sent back ({exc})")))


# --- the pool ---------------------------------------------------------------------------------------------


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    folder: str | None
    digest: bytes = b""

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class _Pool:
    context: BaseContext
    memory_mb: int
    size: int
    confined: bool
    idle: queue.Queue[_Worker] = field(default_factory=queue.Queue)
    workers: list[_Worker] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> _Worker:
        parent, child = self.context.Pipe(duplex=True)
        folder = tempfile.mkdtemp(prefix=f"dach-parser-{os.getpid()}-") if self.confined else None
        process = self.context.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, self.memory_mb, folder), name="dach-parser", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, folder)
        with self.lock:
            self.workers.append(worker)
        return worker

    def replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        with self.lock:
            if worker in self.workers:
                self.workers.remove(worker)
        return self.start()

    def close(self) -> None:
        with self.lock:
            workers, self.workers = list(self.workers), []
        for worker in workers:
            worker.stop()


_pools: dict[tuple[int, int, bool], _Pool] = {}
_pools_lock = threading.Lock()


def _sweep_folders() -> None:
    """Remove the working folders of workers whose process was killed (no exit handler ran for them)."""
    for folder in Path(tempfile.gettempdir()).glob("dach-parser-*-*"):
        try:
            os.kill(int(folder.name.split("-")[2]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


def _pool(limits: OcrLimits) -> _Pool:
    key = (limits.parser_memory_mb, limits.parser_workers, limits.parser_confine)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _sweep_folders()
            pool = _Pool(context, limits.parser_memory_mb, limits.parser_workers, limits.parser_confine)
            for _ in range(limits.parser_workers):
                pool.idle.put(pool.start())
            _pools[key] = pool
        return pool


@atexit.register
def shutdown() -> None:
    """Stop every worker (at exit; tests call it too)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def _died(worker: _Worker, op: str, limits: OcrLimits) -> DachError:
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code == -signal.SIGXCPU:
        return ResourceLimit(
            f"reading the file took more than {limits.parser_cpu_s} s of CPU time; it may be crafted to exhaust "
            "the server (nested forms, tens of thousands of text lines). Print it to PDF again or scan the paper"
        )
    log.warning("parser worker died in %s (exit code %s)", op, code)
    return ResourceLimit(
        f"reading the file needed more than {limits.parser_memory_mb} MiB of memory or crashed the parser "
        f"(exit code {code}); it may be crafted to exhaust the server. Print it to PDF again or scan the paper"
    )


def _error(name: str, message: str) -> DachError:
    from schemas import errors

    kind = getattr(errors, name, None)
    if isinstance(kind, type) and issubclass(kind, DachError):
        return kind(message)
    return CorruptFile(message)


def call(op: str, data: bytes, limits: OcrLimits, *args: Any) -> Any:
    """Run parser operation `op` on `data` in a sandboxed worker and return its result (or raise its error)."""
    if _IN_WORKER or not limits.parser_sandbox:
        return _operation(op)(data, *args)
    pool = _pool(limits)
    digest = hashlib.blake2b(data, digest_size=16).digest()
    worker = pool.idle.get()
    try:
        for _ in range(2):
            try:
                worker.conn.send((op, digest, None if worker.digest == digest else data, args, limits.parser_cpu_s))
                worker.digest = digest
                if not worker.conn.poll(limits.parser_wall_s):
                    log.warning("parser worker over %.0f s in %s: stopped", limits.parser_wall_s, op)
                    worker = pool.replace(worker)
                    raise ResourceLimit(
                        f"reading the file took longer than {limits.parser_wall_s:.0f} s; it may be crafted to "
                        "exhaust the server. Print it to PDF again or scan the paper"
                    )
                status, value = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                failure = _died(worker, op, limits)
                worker = pool.replace(worker)
                raise failure from None
            if status == "again":
                worker.digest = b""
                continue
            if status == "ok":
                return value
            raise _error(*value)
        raise CorruptFile("the parser worker could not be given the file")
    finally:
        pool.idle.put(worker)


def warm(limits: OcrLimits) -> None:
    """Start the workers now (a server calls this at start-up, so the first upload does not wait for them)."""
    if limits.parser_sandbox and not _IN_WORKER:
        _pool(limits)


def worker_pids() -> list[int]:
    """Process ids of the running workers (for tests and the fuzzing benchmark's memory figures)."""
    with _pools_lock:
        return [w.process.pid for p in _pools.values() for w in list(p.workers) if w.process.pid is not None]


def worker_peak_rss_kib() -> dict[int, int]:
    """Peak resident memory (VmHWM) of each running worker, in KiB."""
    out: dict[int, int] = {}
    for pid in worker_pids():
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        out[pid] = int(line.split()[1])
        except OSError:
            continue
    return out
