"""`dach users add|list`: the people who may use the record, with role and department."""

from __future__ import annotations

import sys

import typer

from dach.commands.common import err_console

users_app = typer.Typer(
    help="Manage users (roles: front_desk, clerk, lead, archive_admin, auditor).", no_args_is_help=True
)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="login name: lower-case letters, digits, . _ -"),
    role: str = typer.Option(..., "--role", help="front_desk | clerk | lead | archive_admin | auditor"),
    department: str = typer.Option(..., "--department", help="e.g. foreigners_authority, jobcentre, archive"),
) -> None:
    """Add a user; the password is read from the first line of stdin (never from the command line)."""
    from dach.commands.record import open_record
    from schemas.errors import ExitCode
    from schemas.record import Department, Role

    try:
        role_value, department_value = Role(role), Department(department)
    except ValueError as exc:
        err_console.print(
            f"[red]Fehler[/red]: {exc}. Rollen: {', '.join(r.value for r in Role if r is not Role.SYSTEM)}; "
            f"Abteilungen: {', '.join(d.value for d in Department)}."
        )
        raise typer.Exit(code=int(ExitCode.USAGE)) from exc
    password = sys.stdin.readline().rstrip("\n")
    with open_record() as archive:
        view = archive.add_user(name, password, role_value, department_value)
    typer.echo(f"user {view.name} added ({view.role.value}, {view.department.value})")


@users_app.command("list")
def list_() -> None:
    """List users with their role and department."""
    from dach.commands.record import open_record

    with open_record() as archive:
        for user in archive.list_users():
            state = "" if user.active else " (disabled)"
            typer.echo(f"{user.name}\t{user.role.value}\t{user.department.value}{state}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
