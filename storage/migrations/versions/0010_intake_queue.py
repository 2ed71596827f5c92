"""intake door and work queue: one row per admitted file (by SHA-256) with its lease, one per batch entry

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 16:30:00

Every channel (web upload, REST API, scanner share, CLI, mail) admits files through one door: the original is
stored under its SHA-256 and an `intake_files` row queues it. Workers on any machine claim rows as leases
(`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock makes the same statement atomic),
renew them with heartbeats, and a reaper returns expired leases to the queue. `intake_entries` lists what
each batch handed in, duplicates included, so a batch shows every file it brought.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_files",
        sa.Column("sha256", sa.String(length=64), primary_key=True),
        sa.Column("object_key", sa.String(length=80), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("batch_id", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("original_name_raw", sa.Text(), nullable=True),
        sa.Column("uploader", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=120), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flow_run_id", sa.String(length=40), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("quarantine_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intake_files_batch_id", "intake_files", ["batch_id"])
    op.create_index("ix_intake_files_queue", "intake_files", ["status", "lease_until"])
    op.create_table(
        "intake_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("admission", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intake_entries_batch_id", "intake_entries", ["batch_id"])
    op.create_index("ix_intake_entries_sha256", "intake_entries", ["sha256"])


def downgrade() -> None:
    op.drop_table("intake_entries")
    op.drop_table("intake_files")
