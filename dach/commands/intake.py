"""Taking files in: `dach submit`, `dach batch`, `dach intake`, `dach worker`, `dach watch`, `dach mail`.

Every command goes through the one intake door (`Archive.admit`); the workers read what it queued.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import typer

from dach.commands.common import load_settings, run_failed


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM/SIGINT: take no new work, finish what is held (a second signal ends the process)."""

    def handler(signum: int, _frame: object) -> None:
        if stop.is_set():
            raise SystemExit(128 + signum)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def register(app: typer.Typer) -> None:
    @app.command()
    def submit(
        paths: list[Path] = typer.Argument(..., help="scans or folders of scans"),
        as_json: bool = typer.Option(False, "--json", help="print the batch id and each file's admission"),
    ) -> None:
        """Hand files in through the intake door and return at once: the workers read and file them.

        Exit 1 if any file was rejected (it is kept in quarantine with the reason; the rest is queued)."""
        from flows.submit import submit_paths

        _files, admission = submit_paths(paths, load_settings())
        if as_json:
            _print_json(admission.model_dump(mode="json"))
        else:
            typer.echo(f"Stapel {admission.batch_id}")
            for f in admission.files:
                reason = f" ({f.error.code}: {f.error.message})" if f.error else ""
                typer.echo(f"  {f.status.value:9} {f.sha256[:12]}  {f.file}{reason}")
        if any(f.error is not None for f in admission.files):
            raise typer.Exit(code=1)

    @app.command()
    def batch(
        batch_id: str = typer.Argument(..., help="the id `dach submit` printed"),
        as_json: bool = typer.Option(False, "--json", help="print each file's status and documents"),
    ) -> None:
        """Where each file of a batch is: queued, running, filed, needs_review or quarantined."""
        from flows.runtime import archive_for
        from schemas.record import SYSTEM_ACTOR

        progress = archive_for(load_settings()).batch_progress(batch_id, SYSTEM_ACTOR)
        files = [
            {"file": f.file, "status": f.status.value, "documents": [d.id for d in f.documents]} for f in progress.files
        ]
        if as_json:
            _print_json({"batch_id": progress.batch_id, "files": files})
            return
        typer.echo(f"Stapel {progress.batch_id} ({progress.channel}, {progress.created_by})")
        for f in progress.files:
            docs = ", ".join(f"{d.id} {d.type.value} S.{','.join(map(str, d.pages))}" for d in f.documents)
            reason = f" {f.error.code}: {f.error.message}" if f.error and f.status.value == "quarantined" else ""
            typer.echo(f"  {f.status.value:12} {f.file}  {docs}{reason}")

    @app.command()
    def intake(
        paths: list[Path] = typer.Argument(..., help="scans or folders of scans"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable batch report"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show Prefect's run log"),
    ) -> None:
        """Hand files in and read them right here: `dach submit` and a worker for this batch in one command.

        One line per document with its file, type, person and status. Exit 0 when every file was filed, 1 when
        some files were quarantined (the rest of the batch is still filed), 2 when the run itself failed."""
        from flows.runtime import configure_prefect, release_unstarted_server

        settings = load_settings()
        # Without PREFECT_API_URL the command has a temporary Prefect server of its own, started once the first
        # document is filed (`intake_files`): its 3-5 CPU-s of start-up beside the first pages' reading made
        # the first document wait for them, and the flow that needs the server goes on from the head start.
        configure_prefect(settings, verbose=verbose, server_on_cue=True)
        from dach.commands.progress import checked_inputs, drawn, tracking
        from flows.submit import intake_files

        try:
            files = checked_inputs(paths, quiet=as_json)  # not scans: skipped; a missing path: exit 2
            try:
                with tracking(len(files), show=drawn(as_json)) as tracker:
                    report = intake_files(
                        files, settings, on_item=lambda item: tracker.outcome(item.file, len(item.pages))
                    )
            except Exception as exc:
                run_failed(exc)
        finally:
            release_unstarted_server()
        if as_json:
            _print_json(report.model_dump(mode="json"))
        else:
            from dach.commands.render import print_batch

            print_batch(report)
        from schemas.intake import IntakeStatus

        if report.count(IntakeStatus.QUARANTINED):
            raise typer.Exit(code=1)

    @app.command()
    def worker(
        concurrency: int = typer.Option(1, min=1, max=64, help="files read at once (each with DACH_OCR_WORKERS pages)"),
        lease: float = typer.Option(60.0, min=5.0, help="seconds a file's lease lasts without a heartbeat"),
        poll: float = typer.Option(
            2.0, min=0.1, help="seconds between looks at an empty queue on SQLite (PostgreSQL rings a bell)"
        ),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show Prefect's run log"),
    ) -> None:
        """Read admitted files from the queue until stopped (what each `dach-worker` container runs).

        Start as many as the machines allow; they share the queue in the record database."""
        import logging

        from flows.runtime import configure_prefect

        settings = load_settings()
        configure_prefect(settings, verbose=verbose)
        logging.getLogger("flows").setLevel(logging.INFO if verbose else logging.WARNING)
        import os

        from flows.worker import Worker

        # Without a Prefect server (the embedded default) there is no deployment to create runs from: the flow
        # runs on the temporary local API, started with the first file rather than to look one up.
        server = bool(os.environ.get("PREFECT_API_URL"))
        work = Worker(settings, concurrency=concurrency, lease_s=lease, poll_s=poll, use_deployment=server)
        _stop_on_signals(work.stop)

        def tell_ready() -> None:
            if work.ready.wait():
                limits = f"{concurrency} file(s) at once, {settings.ocr_workers} OCR process(es) each"
                typer.echo(f"worker {work.name} ready: {limits}")

        threading.Thread(target=tell_ready, daemon=True).start()
        work.run()

    @app.command()
    def watch(
        inbox: Path | None = typer.Option(None, help="the scanner share (default: DACH_DATA_DIR/inbox)"),
        every: float = typer.Option(2.0, min=0.2, help="seconds between looks into the share"),
        settle: float = typer.Option(5.0, min=0.0, help="seconds a file must be unchanged before it is taken"),
    ) -> None:
        """Watch the scanner share and hand each finished file to the intake door (one process per share)."""
        from flows.inbox import inbox_dir, watch
        from flows.runtime import archive_for

        settings = load_settings()
        stop = threading.Event()
        _stop_on_signals(stop)
        folder = inbox or inbox_dir(settings)
        typer.echo(f"watching {folder}")
        watch(archive_for(settings), folder, stop, every_s=every, settle_seconds=settle)

    @app.command()
    def mail(
        host: str = typer.Option(..., help="IMAP server"),
        user: str = typer.Option(..., help="mailbox user"),
        port: int = typer.Option(993, help="IMAP port (993 with TLS)"),
        password_env: str = typer.Option("DACH_MAIL_PASSWORD", help="environment variable holding the password"),
        folder: str = typer.Option("INBOX", help="folder to take mails from"),
        allow: list[str] = typer.Option([], help="allowed sender address or @domain (repeat; none: everyone)"),
        tls: bool = typer.Option(True, "--tls/--no-tls", help="IMAP over TLS"),
        every: float = typer.Option(30.0, min=1.0, help="seconds between polls"),
        once: bool = typer.Option(False, "--once", help="poll once and print what was taken in"),
    ) -> None:
        """Take attachments of mails in an IMAP mailbox through the intake door (one process per mailbox)."""
        import os

        from flows.mail import Mailbox, poll, watch
        from flows.runtime import archive_for

        password = os.environ.get(password_env)
        if not password:
            raise typer.BadParameter(f"set the mailbox password in {password_env}")
        box = Mailbox(host, port, user, password, folder=folder, allowed_senders=tuple(allow), ssl=tls)
        archive = archive_for(load_settings())
        if once:
            for outcome in poll(archive, box):
                said = outcome.error.code if outcome.error else f"batch {outcome.admission.batch_id}"  # type: ignore[union-attr]
                typer.echo(f"{outcome.sender}: {outcome.subject!r}: {said}")
            return
        stop = threading.Event()
        _stop_on_signals(stop)
        watch(archive, box, stop, every_s=every)
