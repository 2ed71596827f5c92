"""What the page-reading commands import before their first page is read (issue 16: seconds before the first page
that the reading does not need). Each check runs in a new interpreter, where nothing was imported yet."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imported_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(m for m in {modules!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.parametrize(
    ("statement", "not_yet"),
    [
        # `dach extract` submits its pages and only then imports the classifiers (spaCy) for the analysis
        ("from flows.steps import extract_files", ("classifiers", "spacy", "prefect")),
        # `dach intake` starts reading its first pages ahead before the classifiers (spaCy) are imported
        ("from flows.ahead import head_start", ("classifiers.analysis", "spacy", "prefect", "flows.stack")),
    ],
)
def test_reading_starts_without_what_only_later_steps_need(statement: str, not_yet: tuple[str, ...]) -> None:
    assert _imported_after(statement, not_yet) == []


def test_the_door_s_parser_processes_start_while_the_record_database_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dach intake` and `dach submit` opened the record database and only then started the parser processes the
    door checks each file in, waiting for their start doing nothing; they start beside the opening now."""
    from flows import submit
    from ocr import sandbox
    from schemas.settings import Settings
    from tests.bad_inputs import text_pdf

    sandbox.shutdown()  # no pool left by an earlier test
    settings = Settings(data_dir=tmp_path / "var")
    assert settings.limits.parser_sandbox
    (tmp_path / "bescheid.pdf").write_bytes(text_pdf(1, "Bescheid des Jobcenters"))
    opening = submit.archive_for
    parsers_while_opening: list[int] = []

    def archive_for(settings: Settings) -> Any:
        deadline = time.monotonic() + 30  # the parsers' start, as slow as a busy machine makes it
        while not sandbox.worker_pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        parsers_while_opening.append(len(sandbox.worker_pids()))
        return opening(settings)

    monkeypatch.setattr(submit, "archive_for", archive_for)
    _files, admission = submit.submit_paths([tmp_path / "bescheid.pdf"], settings)
    assert parsers_while_opening[0] == settings.limits.parser_workers
    assert [f.error for f in admission.files] == [None]


def test_the_command_puts_numpy_s_openblas_on_one_thread_before_numpy_loads() -> None:
    """OpenBLAS's second thread spun beside the page workers: the MRZ cell classifier's matrix products cost 4 times
    the CPU (issue 16). OpenBLAS reads its thread count once, when NumPy loads it, so `dach` sets it first; a
    count the operator set stays."""
    import os

    probe = "import os, sys\nimport dach.cli\nprint('numpy' in sys.modules, os.environ['OPENBLAS_NUM_THREADS'])"
    for given, expected in ((None, "1"), ("2", "2")):
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        if given is not None:
            env["OPENBLAS_NUM_THREADS"] = given
        done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["False", expected]


def test_a_configured_prefect_server_costs_no_import_of_prefect_s_server_side(tmp_path: Path) -> None:
    """With PREFECT_API_URL set (the compose set-up), Prefect starts no temporary server, yet every command imported
    Prefect's server side to watch for one: 3 CPU-s before `dach intake` read its first page (issue 16)."""
    import os

    probe = (
        "import sys\nfrom pathlib import Path\nfrom schemas.settings import Settings\n"
        "from flows.runtime import configure_prefect\n"
        "configure_prefect(Settings(data_dir=Path(sys.argv[1])), server_on_cue=True)\n"
        "configure_prefect(Settings(data_dir=Path(sys.argv[1])))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))"
    )
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_intake_that_reads_nothing_leaves_no_prefect_address_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dach intake` gives Prefect the address of its temporary server before starting it (issue 16). A command that
    ended before reading anything (a path that is not there) left that address in its environment: every process
    it started afterwards (in the test suite, the `dach worker` of a later `dach serve`) waited for a port where no
    server ever answered."""
    import os

    from typer.testing import CliRunner

    from dach.cli import app
    from flows import runtime

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(runtime, "_temporary", None)
    env = {"DACH_DATA_DIR": str(tmp_path / "var"), "DACH_CONFIG": "/nonexistent/dach.toml"}
    answer = CliRunner().invoke(app, ["intake", str(tmp_path / "gibt-es-nicht")], env=env)
    assert answer.exit_code == 2, answer.output
    assert "PREFECT_API_URL" not in os.environ
    assert runtime._temporary is None
