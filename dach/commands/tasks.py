"""`dach dispatch` and `dach tasks`: the hand-over of record changes to the departments, from the console.

dach dispatch [--watch SECONDS] [--expiry]     pending record events -> department tasks (idempotent)
dach tasks [--department D | --all] --json     the department inbox (contract in the README)
"""

from __future__ import annotations

import json

import typer

from dach.commands.record import USER_OPTION, actor_for, open_record


def register(app: typer.Typer) -> None:
    @app.command()
    def dispatch(
        watch: float = typer.Option(0.0, "--watch", min=0.0, help="keep dispatching every SECONDS (0: once)"),
        expiry: bool = typer.Option(False, "--expiry", help="also run the daily expiry check"),
    ) -> None:
        """Run the event dispatcher once: every pending change of the record becomes its departments' tasks."""
        import threading
        from datetime import date

        with open_record() as archive:
            if watch > 0:
                from flows.dispatch import watch as watch_loop

                stop = threading.Event()
                try:
                    watch_loop(archive, watch, stop)
                except KeyboardInterrupt:
                    stop.set()
                return
            report = archive.dispatch()
            created = archive.check_expiry(date.today()) if expiry else 0
        typer.echo(json.dumps({**report.model_dump(mode="json"), "expiry_tasks": created}, ensure_ascii=False))

    @app.command()
    def tasks(
        department: str | None = typer.Option(None, "--department", help="one department's inbox"),
        every: bool = typer.Option(False, "--all", help="every department's tasks"),
        include_done: bool = typer.Option(False, "--done", help="include tasks marked done"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable contract"),
        limit: int = typer.Option(1000, "--limit", min=1, max=1_000_000),
        user: str | None = USER_OPTION,
    ) -> None:
        """The tasks of a department's inbox (Postkorb), by due date."""
        from dach.commands.common import err_console
        from schemas.record import Department

        if every and department:
            err_console.print("[red]Fehler[/red]: give either --department or --all, not both.")
            raise typer.Exit(code=2)
        chosen: Department | None = None
        if department:
            try:
                chosen = Department(department)
            except ValueError:
                err_console.print(
                    f"[red]Fehler[/red]: no department {department!r}; one of {[d.value for d in Department]}."
                )
                raise typer.Exit(code=2) from None
        with open_record() as archive:
            actor = actor_for(archive, user)
            found = archive.list_tasks(
                actor,
                department=chosen,
                every=every or (chosen is None and user is None),
                include_done=include_done,
                limit=limit,
            )
        if as_json:
            typer.echo(json.dumps({"tasks": [t.to_contract() for t in found]}, ensure_ascii=False))
            return
        for t in found:
            due = t.due_date.isoformat() if t.due_date else "-"
            typer.echo(f"{t.id}\t{t.department.value}\t{due}\t{t.status.value}\t{t.title}")
