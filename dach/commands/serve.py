"""`dach serve`: the web app (front desk, departments, archive administration, REST API) under uvicorn."""

from __future__ import annotations

import typer

from dach.commands.common import load_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str | None = typer.Option(None, help="address to listen on (default DACH_WEB_HOST, 127.0.0.1)"),
        port: int | None = typer.Option(None, help="port to listen on (default DACH_WEB_PORT, 8000)"),
    ) -> None:
        """Start the web app on the configured storage (the embedded default without DACH_* settings)."""
        import uvicorn

        from web.app import create_app

        settings = load_settings()
        application = create_app(settings)
        bind_host = host or settings.web_host
        bind_port = port or settings.web_port
        typer.echo(f"dach läuft auf http://{bind_host}:{bind_port}/  (Beenden mit Strg+C)")
        uvicorn.run(
            application,
            host=bind_host,
            port=bind_port,
            log_level="warning",
            proxy_headers=False,
            server_header=False,
        )
