"""`dach audit verify|log`: check the hash-chained audit trail and read its newest entries."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from schemas.record import AuditReport, ObjectProblem

audit_app = typer.Typer(help="Check and read the audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    as_json: bool = typer.Option(False, "--json", help="print the machine-readable report"),
    deep: bool = typer.Option(False, "--deep", help="read every object and check its checksum (slow)"),
) -> None:
    """Recompute the hash chain and compare it with the anchors in the object store, and check that every
    object a row points at exists (with --deep: is intact). Exit 7 if anything is wrong; a re-run of the
    scan (`dach intake`) puts back a document's missing objects."""
    from dach.commands.record import open_record
    from schemas.errors import ExitCode

    with open_record() as archive:
        report = archive.verify_audit()
        objects = archive.scrub(deep=deep)
    if as_json:
        body = {**report.model_dump(mode="json"), "objects": [o.model_dump(mode="json") for o in objects]}
        typer.echo(json.dumps(body, indent=2))
    else:
        _report_de(report, objects, deep)
    if not report.ok or objects:
        raise typer.Exit(code=int(ExitCode.INTEGRITY))


def _report_de(report: AuditReport, objects: list[ObjectProblem], deep: bool) -> None:
    """The check for people, in German (the findings too; `--json` keeps the English keys and sentences)."""
    from schemas.strings_de import T
    from web.messages_de import audit_problem_de

    if report.ok:
        typer.echo(
            T["verify.cli_ok"].format(entries=report.entries, head=report.head_seq, anchored=report.anchored_seq)
        )
    else:
        typer.echo(T["verify.cli_broken"].format(entries=report.entries))
        for problem in report.problems:
            typer.echo(f"  - {audit_problem_de(problem)}")
    if objects:
        typer.echo(T["verify.cli_objects"].format(count=len(objects)))
        for found in objects:
            state = T.get(f"verify.object_{found.problem}", found.problem)
            typer.echo(f"  - {found.key} {state}: {'; '.join(found.rows)}")
    else:
        typer.echo(T["verify.cli_intact" if deep else "verify.cli_present"])


@audit_app.command("log")
def log(
    limit: int = typer.Option(50, "--limit", min=1, max=10000),
    person: str | None = typer.Option(None, "--person", help="only entries about this person id"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = typer.Option(
        None, "--user", "-u", help="act as this auditor or archive administrator (password from stdin)"
    ),
) -> None:
    """Show the newest audit entries (auditors and archive administrators; the console acts as the
    data-protection auditor). Reading them is itself an audit entry."""
    from dach.commands.record import actor_for, open_record, operator_name
    from schemas.record import Actor, Department, Role

    with open_record() as archive:
        if user is None:
            actor = Actor(
                name=operator_name(), role=Role.AUDITOR, department=Department.DATA_PROTECTION, purpose="audit log"
            )
        else:
            actor = actor_for(archive, user)
        entries = archive.audit_log(actor, limit=limit, person_id=person)
    if as_json:
        typer.echo(json.dumps({"entries": [e.model_dump(mode="json") for e in entries]}, ensure_ascii=False, indent=2))
        return
    from schemas.strings_de import label
    from web.messages_de import actor_de

    # for people: German actors and actions, German time stamps (the ids stay: auditors trace objects by them)
    for e in entries:
        target = f"{e.object_type}:{e.object_id}" if e.object_id else e.object_type
        about = f"{e.person_id or ''} {e.purpose or ''}".rstrip()
        who = actor_de(e.actor, e.role, e.department)
        typer.echo(f"{e.seq:>7} {e.at:%d.%m.%Y %H:%M:%S} {who}: {label('audit', e.action)} {target} {about}".rstrip())


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
