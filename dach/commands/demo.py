"""`dach demo-accounts`: the demo's logins, one per kind of user, so a newcomer can try the web app.

Passwords are generated on the first run and kept in `DATA_DIR/demo-logins.txt` (never in the repository);
later runs print the same logins and create nothing twice.
"""

from __future__ import annotations

import secrets

import typer

from dach.commands.common import load_settings

# login name -> (role, department, who it stands for)
DEMO_USERS = {
    "empfang": ("front_desk", "front_desk", "Empfang / Servicestelle: scannt und prüft"),
    "abh": ("clerk", "foreigners_authority", "Ausländerbehörde: Sachbearbeitung"),
    "sozialamt": ("clerk", "social_welfare", "Sozialamt: Sachbearbeitung (AsylbLG)"),
    "jobcenter": ("clerk", "jobcentre", "Jobcenter-Verbindung (SGB II)"),
    "archiv": ("archive_admin", "archive", "Archiv: Aufbewahrung, Sperren, Löschfreigaben"),
    "archiv2": ("archive_admin", "archive", "zweite Archivperson (Vier-Augen-Prinzip)"),
    "revision": ("auditor", "data_protection", "Revision: Prüfprotokoll"),
}


def register(app: typer.Typer) -> None:
    @app.command("demo-accounts")
    def demo_accounts() -> None:
        """Create the demo logins if missing and print them with the web app's address."""
        from dach.commands.record import open_record
        from schemas.record import Department, Role

        settings = load_settings()
        logins = settings.data_dir / "demo-logins.txt"
        known: dict[str, str] = {}
        if logins.exists():
            known = dict(line.split("\t", 1) for line in logins.read_text().splitlines() if "\t" in line)
        with open_record() as archive:
            existing = {user.name for user in archive.list_users()}
            for name, (role, department, _) in DEMO_USERS.items():
                if name in existing:
                    continue
                known[name] = secrets.token_urlsafe(9)
                archive.add_user(name, known[name], Role(role), Department(department))
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        logins.write_text("".join(f"{n}\t{p}\n" for n, p in known.items()))
        logins.chmod(0o600)
        typer.echo(f"Web app: .venv/bin/dach serve, then open http://{settings.web_host}:{settings.web_port}/")
        typer.echo("Demo logins (user / password / who):")
        for name, (_, _, who) in DEMO_USERS.items():
            typer.echo(f"  {name:<10} {known.get(name, '(set before this demo)'):<14} {who}")
