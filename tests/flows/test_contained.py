"""One bad file never stops a batch (issue 15): every malformed input, a symbolic link, a pipe and a name that
is not UTF-8 each become that file's error with a specific code, kept in quarantine, while the good file in the
same batch is read (`dach extract`) or filed (`dach intake`), and the exit code says which it was."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.bad_inputs import text_pdf
from tests.malformed import issue_inputs

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")
SECRET = "DACH_TEST_SECRET=do-not-read-me"
# A name that sets the terminal title and opens a link if printed raw, and one that is Rich markup.
OSC_NAME = "Bescheid\x1b]0;pwned\x07\x1b]8;;http:evil\x07.pdf"
MARKUP_NAME = "[link=https:evil]Bescheid[bold].pdf"


def _inbox(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder of bad files with the code each must get, and one good born-digital notice."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    expected: dict[str, str] = {}
    for name, (data, code) in issue_inputs().items():
        (inbox / name).write_bytes(data)
        expected[name] = code
    secret = tmp_path / "environ"
    secret.write_text(SECRET)
    (inbox / "link.pdf").symlink_to(secret)
    expected["link.pdf"] = "not_regular_file"
    os.mkfifo(inbox / "pipe.pdf")
    expected["pipe.pdf"] = "not_regular_file"
    (inbox / OSC_NAME).write_bytes(b"\x00\x01 not a scan")
    expected[OSC_NAME] = "unsupported_format"
    (inbox / MARKUP_NAME).write_bytes(b"")
    expected[MARKUP_NAME] = "empty_file"
    (inbox / "good.pdf").write_bytes(text_pdf(1, "Bescheid des Jobcenters"))
    return inbox, expected


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DACH_DATA_DIR": str(data_dir)}
    return subprocess.run([DACH, *args], env=env, capture_output=True, text=True, timeout=900)


def test_extract_reports_every_bad_file_with_its_code_reads_the_good_one_and_exits_1(tmp_path: Path) -> None:
    inbox, expected = _inbox(tmp_path)
    latin1 = os.fsencode(inbox) + b"/Bescheid_M\xfcller.pdf"  # a name from an old system: not UTF-8
    with open(latin1, "wb") as handle:
        handle.write(text_pdf(1))
    files = [str(p) for p in sorted(inbox.iterdir())] + [os.fsdecode(latin1)]
    answer = _run("extract", "--json", *files, data_dir=tmp_path / "var")
    assert answer.returncode == 1, answer.stderr
    results = {Path(r["file"]).name: r for r in json.loads(answer.stdout)["results"]}
    got = {name: (r["error"] or {}).get("code") for name, r in results.items()}
    assert got.pop("Bescheid_M\\xfcller.pdf") == "bad_file_name"
    shown_osc = OSC_NAME.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert got.pop(shown_osc) == expected.pop(OSC_NAME)
    assert got.pop("good.pdf") is None and results["good.pdf"]["documents"]
    assert got == expected
    assert SECRET not in answer.stdout


@pytest.mark.slow
def test_intake_quarantines_each_bad_file_never_reads_a_link_and_files_the_good_one(tmp_path: Path) -> None:
    inbox, expected = _inbox(tmp_path)
    latin1 = os.fsencode(inbox) + b"/Bescheid_M\xfcller.pdf"
    with open(latin1, "wb") as handle:
        handle.write(text_pdf(1, "Alter Name"))
    answer = _run("intake", "--json", str(inbox), data_dir=tmp_path / "var")
    assert answer.returncode == 1, answer.stderr
    items = json.loads(answer.stdout)["items"]
    got = {Path(i["file"]).name: (i["error"] or {}).get("code") for i in items}
    # Through the intake door a name from an old system is no reason to refuse the scan: it is filed, its
    # bytes kept exactly for the record, and shown with the odd byte escaped (`dach extract` reads no names).
    assert got.pop("Bescheid_M\\xfcller.pdf") is None
    shown_osc = OSC_NAME.replace("\x1b", "\\x1b").replace("\x07", "\\x07")  # escaped as extract shows it
    assert got.pop(shown_osc) == expected.pop(OSC_NAME)
    assert {got.pop("good.pdf")} == {None}
    assert got == expected
    assert [i["status"] for i in items if Path(i["file"]).name == "good.pdf"] != ["quarantined"]

    listing = _run("quarantine", "list", data_dir=tmp_path / "var")
    assert listing.returncode == 0
    assert "\x1b" not in listing.stdout and "\x07" not in listing.stdout, "control characters are escaped"
    entries = json.loads(_run("quarantine", "list", "--json", data_dir=tmp_path / "var").stdout)
    link = next(e for e in entries if e["original_name"] == "link.pdf")
    assert link["object_key"] is None, "the link's target was never read nor kept"
    for entry in entries:
        if entry["object_key"]:
            out = tmp_path / "back"
            assert _run("quarantine", "get", entry["id"], str(out), data_dir=tmp_path / "var").returncode == 0
            assert SECRET not in out.read_bytes().decode("latin-1")


def test_names_reach_the_terminal_with_control_characters_escaped_and_no_markup_interpreted() -> None:
    from rich.console import Console

    from dach.commands import render
    from schemas.documents import ErrorInfo
    from schemas.intake import BatchReport, IntakeItem, IntakeStatus

    error = ErrorInfo(code="unsupported_format", message=f"{OSC_NAME} is not a scan")
    items = tuple(
        IntakeItem(file=name, status=IntakeStatus.QUARANTINED, quarantine_id="q1", error=error)
        for name in (OSC_NAME, MARKUP_NAME)
    )
    console = Console(record=True, width=300, force_terminal=True)
    render.console = console
    render.print_batch(BatchReport(batch_id="b1", items=items, seconds=1.0))
    shown = console.export_text(styles=False)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned" in shown
    assert "[link=https:evil]Bescheid[bold].pdf" in shown.replace("\n", ""), "markup is shown, not applied"
