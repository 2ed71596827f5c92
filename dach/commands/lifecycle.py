"""`dach archive …`, `dach xdomea …` and `dach verify`: the archive lifecycle from the command line.

    dach archive offer [--record REC]... [--out FILE]   0501 for records past retention and not held
    dach archive appraisal FILE                         read the archive's 0502
    dach archive handover [--process ID] [--out DIR]    write the 0503 ZIP
    dach archive confirm FILE                           read the archive's 0506; deletion requests follow
    dach archive transfers                              the transfers and their state
    dach xdomea abgabe PERSON_ID --out DIR [--json]     a person's record as a 0401 ZIP ({"zip": path})
    dach xdomea import ZIP [--json]                     a 0401 ZIP as a new record ({"person_id", "documents"})
    dach verify [DOCUMENT_ID | --all] [--json]          seal, timestamp and hashes ({"checked", "failed"}), exit 1

The console acts as an archive administrator (`storage.CONSOLE_ACTOR`); `--user NAME` acts as a named one
(password on stdin). Errors end the command with their code and message.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import err_console
from dach.commands.record import USER_OPTION, actor_for, open_record

archive_app = typer.Typer(help="Hand records over to the public archive (xdomea 0501–0506).", no_args_is_help=True)
xdomea_app = typer.Typer(help="Hand a record to another authority and take one in (xdomea 0401).", no_args_is_help=True)


def _echo(payload: object) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@archive_app.command("offer")
def offer(
    record: list[str] = typer.Option(None, "--record", help="offer only these records (rec_…); default: all due"),
    out: Path = typer.Option(Path("."), "--out", help="folder for the 0501 message"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Offer the records whose retention has ended and that have no legal hold (xdomea 0501)."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        view, xml = Lifecycle(archive).offer(actor_for(archive, user), record or None)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{view.id}_Aussonderung.Anbieteverzeichnis.0501.xml"
    path.write_bytes(xml)
    if as_json:
        _echo({"process_id": view.id, "message": str(path), "records": [o.record_id for o in view.objects]})
        return
    typer.echo(f"0501 {path}: {len(view.objects)} Akten angeboten (Prozess {view.id})")


@archive_app.command("appraisal")
def appraisal(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the archive's 0502 message"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Read the archive's appraisal (0502): archive or destroy, per record."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        view = Lifecycle(archive).read_appraisal(file.read_bytes(), actor_for(archive, user))
    if as_json:
        _echo(view.model_dump(mode="json"))
        return
    for item in view.objects:
        typer.echo(f"{item.file_number} {item.person_name}: {item.appraisal.value if item.appraisal else '–'}")


@archive_app.command("handover")
def handover(
    out: Path = typer.Option(Path("."), "--out", help="folder for the 0503 ZIP"),
    process: str | None = typer.Option(None, "--process", help="the transfer (default: the latest appraised)"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Write the 0503 ZIP: every primary document as PDF/A, its metadata and its sealed scan evidence."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        result = Lifecycle(archive).handover(out, actor_for(archive, user), process)
    if as_json:
        _echo(result.model_dump(mode="json"))
        return
    typer.echo(f"0503 {result.zip_path}: {result.documents} Dokumente in {result.seconds:.1f} s")


@archive_app.command("confirm")
def confirm(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the archive's 0506 message"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Read the import confirmation (0506); deletion requests are made for what the archive took over
    (a second archive administrator approves each)."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        view, requests = Lifecycle(archive).read_confirmation(file.read_bytes(), actor_for(archive, user))
    if as_json:
        _echo({"transfer": view.model_dump(mode="json"), "deletion_requests": requests})
        return
    for item in view.objects:
        state = f"übernommen ({item.archive_id})" if item.imported else f"nicht übernommen: {item.error}"
        typer.echo(f"{item.file_number} {item.person_name}: {state}")
    typer.echo(f"{len(requests)} Löschanträge gestellt; ein zweiter Archivar genehmigt sie.")


@archive_app.command("transfers")
def transfers(as_json: bool = typer.Option(False, "--json"), user: str | None = USER_OPTION) -> None:
    """The transfers to the archive and where each stands."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        views = Lifecycle(archive).transfers(actor_for(archive, user))
    if as_json:
        _echo([v.model_dump(mode="json") for v in views])
        return
    for v in views:
        typer.echo(f"{v.id} {v.status.value:12} {len(v.objects)} Akten  {v.updated_at:%Y-%m-%d %H:%M}")


@xdomea_app.command("abgabe")
def abgabe(
    person_id: str = typer.Argument(..., help="the person whose record moves (per_…)"),
    out: Path = typer.Option(..., "--out", help="folder for the 0401 ZIP"),
    recipient: str = typer.Option("zuständige Behörde", "--to", help="the authority now responsible"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Hand a person's whole record to the authority now responsible (xdomea 0401)."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        path = Lifecycle(archive).abgabe(person_id, out, actor_for(archive, user), recipient)
    if as_json:
        _echo({"zip": str(path)})
        return
    typer.echo(str(path))


@xdomea_app.command("import")
def import_(
    zip_file: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="ZIP", help="a 0401 ZIP"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = USER_OPTION,
) -> None:
    """Take in a record handed over by another authority (xdomea 0401) as a new record, without OCR."""
    from storage.lifecycle import Lifecycle

    with open_record() as archive:
        result = Lifecycle(archive).import_abgabe(zip_file, actor_for(archive, user))
    if as_json:
        _echo({"person_id": result.person_id, "documents": list(result.documents), "unmapped": list(result.unmapped)})
        return
    typer.echo(f"Person {result.person_id}: {len(result.documents)} Dokumente übernommen")
    for item in result.unmapped:
        err_console.print(f"[yellow]nicht zugeordnet[/yellow]: {item}")


def register(app: typer.Typer) -> None:
    app.add_typer(archive_app, name="archive")
    app.add_typer(xdomea_app, name="xdomea")

    @app.command("verify")
    def verify(
        document_id: str | None = typer.Argument(None, help="one document (doc_…); or --all"),
        every: bool = typer.Option(False, "--all", help="every live document"),
        as_json: bool = typer.Option(False, "--json"),
        user: str | None = USER_OPTION,
    ) -> None:
        """Check the scan evidence: seal, RFC 3161 timestamp, and the hashes of originals and renditions.
        Exits 1 when anything failed."""
        from schemas.errors import ExitCode
        from storage.lifecycle import Lifecycle

        if (document_id is None) == (not every):
            err_console.print("Name a document id or give --all.")
            raise typer.Exit(code=int(ExitCode.USAGE))
        with open_record() as archive:
            report = Lifecycle(archive).verify(actor_for(archive, user), None if every else document_id)
        if as_json:
            _echo({"checked": report.checked, "failed": [f.model_dump() for f in report.failed]})
        else:
            typer.echo(f"{report.checked} geprüft, {len(report.failed)} fehlgeschlagen")
            for failure in report.failed:
                typer.echo(f"  {failure.id}: {failure.reason}")
        if report.failed:
            raise typer.Exit(code=1)
