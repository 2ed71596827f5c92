"""archive lifecycle: xdomea transfers to the public archive (Aussonderung 0501-0506)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 17:00:00

One row per xdomea process (ProzessID) and one per record offered in it, with the archive's appraisal and
import confirmation; documents of a record offered and appraised "archive" may be deleted only once the
archive confirmed their import. Deletion requests can be rejected or withdrawn, with a note. PDF/A renditions and sealed scan evidence are document files (kinds `pdfa`,
`evidence`) and need no schema change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_transfers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
    )
    op.create_index("ix_archive_transfers_status", "archive_transfers", ["status"])
    op.create_table(
        "archive_transfer_objects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("transfer_id", sa.String(36), sa.ForeignKey("archive_transfers.id"), nullable=False),
        sa.Column("object_uuid", sa.String(36), nullable=False),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("appraisal", sa.String(1), nullable=True),
        sa.Column("imported", sa.Boolean(), nullable=True),
        sa.Column("archive_id", sa.String(200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.UniqueConstraint("transfer_id", "object_uuid", name="uq_transfer_object"),
    )
    op.create_index("ix_archive_transfer_objects_transfer_id", "archive_transfer_objects", ["transfer_id"])
    op.create_index("ix_archive_transfer_objects_object_uuid", "archive_transfer_objects", ["object_uuid"])
    op.create_index("ix_archive_transfer_objects_record_id", "archive_transfer_objects", ["record_id"])
    with op.batch_alter_table("deletion_requests") as batch:
        batch.add_column(sa.Column("decision_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deletion_requests") as batch:
        batch.drop_column("decision_note")
    op.drop_table("archive_transfer_objects")
    op.drop_table("archive_transfers")
