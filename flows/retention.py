"""The nightly retention sweep, as a scheduled Prefect flow (`dach deploy` registers it as `retention-sweep`).

The work is `storage.lifecycle.Lifecycle.sweep` (object holds put back where the record holds a document, and
the records whose retention has ended offered to the archive as a 0501 in `DACH_DATA_DIR/xdomea/outbox`); the
flow only opens the archive and reports.
"""

from __future__ import annotations

from prefect import flow

from schemas.archive import SweepReport
from schemas.record import Actor, Department, Role
from schemas.settings import Settings

SWEEP_ACTOR = Actor(
    name="retention-sweep", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE, purpose="scheduled retention sweep"
)


def run_sweep(settings: Settings) -> SweepReport:
    from storage import open_archive
    from storage.lifecycle import Lifecycle

    archive = open_archive(settings)
    try:
        return Lifecycle(archive).sweep(SWEEP_ACTOR, settings.data_dir / "xdomea" / "outbox")
    finally:
        archive.close()


@flow(name="dach-retention-sweep", validate_parameters=False)
def retention_sweep() -> SweepReport:
    """Scheduled: repair object holds and offer the records whose retention has ended."""
    return run_sweep(Settings())  # deployments start here: this flow is a shell, like the CLI
