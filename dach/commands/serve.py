"""`dach serve`: the web app (front desk, departments, archive administration, REST API) under uvicorn."""

from __future__ import annotations

import typer

from dach.commands.common import load_settings

# Where the record has no event bell (the embedded SQLite default, which runs no `dach scheduler`), the app looks
# for record events this often and hands them over: a clerk's change reaches the other departments' inboxes
# within seconds, not only when the next scan is filed.
DISPATCH_EVERY_S = 3.0


def _ends_with_parent() -> None:
    """In the worker started beside the app: end it (SIGTERM) when the app's process ends, however it ends."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError):  # not Linux: the app's shutdown still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str | None = typer.Option(None, help="address to listen on (default DACH_WEB_HOST, 127.0.0.1)"),
        port: int | None = typer.Option(None, help="port to listen on (default DACH_WEB_PORT, 8000)"),
        worker: bool | None = typer.Option(
            None,
            "--worker/--no-worker",
            help="also start one `dach worker` process for the uploads (default: only on the embedded database)",
        ),
    ) -> None:
        """Start the web app on the configured storage (the embedded default without DACH_* settings).

        The web process only admits uploads; a `dach worker` reads them. On the embedded default one is
        started beside the app (its own process), and the app hands record events over to the departments
        itself (there is no `dach scheduler` with an event bell), so a single machine needs nothing else."""
        import shutil
        import subprocess
        import sys
        import threading
        from pathlib import Path

        import uvicorn

        from flows.dispatch import watch as dispatch_loop
        from flows.prefect_server import slow_ticking_web_server
        from flows.runtime import archive_for
        from storage.bells import heard_on
        from web.app import create_app

        settings = load_settings()
        application = create_app(settings)
        stop = threading.Event()
        if not heard_on(settings.effective_database_url):  # no event bell: nothing else would
            # dispatch before the next intake (on PostgreSQL `dach scheduler` follows the bell)
            record = archive_for(settings)
            threading.Thread(
                target=dispatch_loop, args=(record, DISPATCH_EVERY_S, stop), name="dach-dispatch", daemon=True
            ).start()
        bind_host = host or settings.web_host
        bind_port = port or settings.web_port
        helper = None
        if worker if worker is not None else settings.database_url is None:
            dach = shutil.which("dach", path=str(Path(sys.executable).parent)) or "dach"
            helper = subprocess.Popen([dach, "worker"], preexec_fn=_ends_with_parent)
        typer.echo(f"dach läuft auf http://{bind_host}:{bind_port}/  (Beenden mit Strg+C)")
        # uvicorn's loop ticks ten times a second, for a Date header renewed once a second: 0.23 % of a core for
        # an idle app, more than the rest of an idle dach together. Once a second, as the Prefect server's.
        slow_ticking_web_server()
        try:
            uvicorn.run(
                application,
                host=bind_host,
                port=bind_port,
                log_level="warning",
                proxy_headers=False,
                server_header=False,
            )
        finally:
            stop.set()
            if helper is not None:  # it finishes the file it holds, then stops
                helper.terminate()
                helper.wait(timeout=300)
