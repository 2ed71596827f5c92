"""`dach users add|list|deactivate|activate|password|revoke`: the people who may use the record.

Deactivating a user, setting a new password and `revoke` ("sign out everywhere") end every session cookie
and API token of that user at its next request; each is written to the audit trail as the console.
"""

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


@users_app.command("deactivate")
def deactivate(name: str = typer.Argument(..., help="login name")) -> None:
    """Deactivate a user: no more sign-ins, and their sessions and API tokens end at the next request."""
    from dach.commands.record import open_record

    with open_record() as archive:
        archive.set_user_active(name, False)
    typer.echo(f"user {name} deactivated; their sessions and tokens no longer work")


@users_app.command("activate")
def activate(name: str = typer.Argument(..., help="login name")) -> None:
    """Let a deactivated user sign in again (sessions from before stay ended)."""
    from dach.commands.record import open_record

    with open_record() as archive:
        archive.set_user_active(name, True)
    typer.echo(f"user {name} may sign in again")


@users_app.command("password")
def password(name: str = typer.Argument(..., help="login name")) -> None:
    """Set a new password (first line of stdin); sessions and tokens signed in with the old one end."""
    from dach.commands.record import open_record

    new_password = sys.stdin.readline().rstrip("\n")
    with open_record() as archive:
        archive.set_password(name, new_password)
    typer.echo(f"password of {name} changed; their earlier sessions and tokens no longer work")


@users_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="login name")) -> None:
    """Sign a user out everywhere: every session and API token issued so far stops working."""
    from dach.commands.record import open_record

    with open_record() as archive:
        archive.revoke_sessions(name)
    typer.echo(f"every session and token of {name} has ended")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
