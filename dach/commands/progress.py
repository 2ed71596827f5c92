"""What `dach extract` and `dach intake` share: choosing the input files, and progress on a terminal.

Files that are not scans — the ground-truth `.json` beside generated samples, notes, hidden files of the
desktop (`.DS_Store`, `Thumbs.db`) — are skipped with a note, not quarantined: quarantine is for scans that
could not be read, and a stray text file must not make a run fail. A path that does not exist is a usage
error, said at once, before anything is read. Anything else (also a file with a wrong or no extension) goes
to the readers, which sniff the content and quarantine what they cannot read.

Progress (files, pages, documents) is drawn with `rich` on stderr when stderr is a terminal and the output
is for people; with `--json` or in a pipe nothing extra is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import typer

from dach.commands.common import err_console
from dach.commands.render import printable
from schemas.errors import ExitCode

#: Extensions of files that are never scans (sidecars, notes, exports): skipped with a note.
NOT_SCANS = frozenset({".json", ".txt", ".md", ".csv", ".xml", ".yaml", ".yml", ".log", ".ini", ".toml"})
#: Files the desktop leaves in folders.
DESKTOP_FILES = frozenset({"thumbs.db", "desktop.ini"})


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, German reason)
    missing: list[Path] = field(default_factory=list)


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("."):
        return "versteckte Datei"
    if path.name.lower() in DESKTOP_FILES:
        return "Systemdatei"
    if path.suffix.lower() in NOT_SCANS:
        return f"kein Scan ({path.suffix.lower()})"
    return None


def select_inputs(paths: Sequence[Path]) -> Inputs:
    """The scans among `paths` (folders searched recursively, in order), what was skipped, what is missing."""
    out = Inputs()
    for path in paths:
        if not path.exists() and not path.is_symlink():  # a dangling link is handed in (and refused), not missing
            out.missing.append(path)
            continue
        candidates = (
            [
                p
                for p in sorted(path.rglob("*"))
                # Links, pipes and devices are listed too: the intake door refuses each with its reason.
                if (p.is_symlink() or not p.is_dir())
                and not any(x.startswith(".") for x in p.relative_to(path).parts[:-1])
            ]
            if path.is_dir() and not path.is_symlink()
            else [path]
        )
        for candidate in candidates:
            reason = _skip_reason(candidate)
            if reason:
                out.skipped.append((candidate, reason))
            else:
                out.files.append(candidate)
    return out


def checked_inputs(paths: Sequence[Path], *, quiet: bool) -> list[Path]:
    """`select_inputs`, with missing paths ending the command (exit 2) and skipped files noted on stderr."""
    inputs = select_inputs(paths)
    if inputs.missing:
        for path in inputs.missing:
            err_console.print(
                f"[red]Fehler:[/red] {printable(path)} gibt es nicht. Bitte den Pfad prüfen.", soft_wrap=True
            )
        raise typer.Exit(code=int(ExitCode.USAGE))
    if not quiet:
        for path, reason in inputs.skipped:
            err_console.print(f"[dim]übersprungen: {printable(path)} ({reason})[/dim]", soft_wrap=True)
    if not inputs.files:
        err_console.print("[yellow]Keine Scans gefunden[/yellow] (PDF, PNG, JPEG, TIFF).")
    return inputs.files


class Tracker:
    """Counts files, pages and documents and shows them (or nothing, when it is not drawn)."""

    def __init__(self, total_files: int, update: Callable[[int, int, int], None]) -> None:
        self.total_files = total_files
        self.files_done = 0
        self.pages = 0
        self.documents = 0
        self._update = update
        self._files_seen: set[str] = set()

    def file_done(self, pages: int = 0, documents: int = 0) -> None:
        self.files_done += 1
        self.pages += pages
        self.documents += documents
        self._update(self.files_done, self.pages, self.documents)

    def outcome(self, file: str, pages: int) -> None:
        """An outcome of the intake flow: a document of `file` (the first one also counts the file)."""
        self.documents += 1
        self.pages += pages
        if file not in self._files_seen:
            self._files_seen.add(file)
            self.files_done = min(self.total_files, self.files_done + 1)
        self._update(self.files_done, self.pages, self.documents)


def drawn(as_json: bool) -> bool:
    return not as_json and sys.stderr.isatty()


@contextmanager
def tracking(total_files: int, *, show: bool) -> Iterator[Tracker]:
    """A `Tracker`; on a terminal (`show`), a rich progress bar on stderr that follows it."""
    if not show:
        yield Tracker(total_files, lambda files, pages, documents: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counts = TextColumn("· {task.fields[pages]} Seiten · {task.fields[documents]} Dokumente")
    columns = (SpinnerColumn(), TextColumn("Dateien"), BarColumn(), MofNCompleteColumn(), counts, TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("dach", total=total_files, pages=0, documents=0)

        def update(files: int, pages: int, documents: int) -> None:
            bar.update(task, completed=files, pages=pages, documents=documents)

        yield Tracker(total_files, update)
