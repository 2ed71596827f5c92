"""record events (outbox), department tasks, contact persons, visits, webhook deliveries

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 16:30:00

Every change of the record writes a `record_events` row in the same transaction (a transactional outbox);
the dispatcher turns pending events into `tasks` of the departments concerned by the hand-over rules and
marks them dispatched, again in one transaction. A task is unique per (source, rule, department): the
source is the event (or a scheduled check such as an expiry date), so dispatching twice creates nothing
twice. Beside them: the contact person (zentrale Ansprechperson) of each person, front-desk visits
(Vorsprachen) and the delivery log of signed webhooks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "record_events",
        sa.Column("seq", _SEQ, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("person_id", sa.String(length=32), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_record_events_pending", "record_events", ["dispatched_at", "seq"])
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("document_type", sa.String(length=40), nullable=True),
        sa.Column("person_id", sa.String(length=32), nullable=True),
        sa.Column("due_date", sa.String(length=10), nullable=True),
        sa.Column("due_sort", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("assignee", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("source", "rule", "department", name="uq_task_source"),
    )
    op.create_index("ix_tasks_inbox", "tasks", ["department", "active", "due_sort", "id"])
    op.create_index("ix_tasks_counts", "tasks", ["department", "active", "kind", "due_sort", "assignee"])
    op.create_index("ix_tasks_person", "tasks", ["person_id"])
    op.create_index("ix_tasks_document", "tasks", ["document_id"])
    op.create_table(
        "contact_persons",
        sa.Column("person_id", sa.String(length=32), sa.ForeignKey("persons.id"), primary_key=True),
        sa.Column("team", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assigned_by", sa.String(length=120), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "visits",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("person_id", sa.String(length=32), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("batch_id", sa.String(length=40), nullable=True),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_visits_person_id", "visits", ["person_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("endpoint", sa.String(length=80), nullable=False),
        sa.Column("event_seq", _SEQ, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("endpoint", "event_seq", name="uq_webhook_delivery"),
    )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_visits_person_id", table_name="visits")
    op.drop_table("visits")
    op.drop_table("contact_persons")
    op.drop_index("ix_tasks_document", table_name="tasks")
    op.drop_index("ix_tasks_person", table_name="tasks")
    op.drop_index("ix_tasks_counts", table_name="tasks")
    op.drop_index("ix_tasks_inbox", table_name="tasks")
    op.drop_table("tasks")
    op.drop_index("ix_record_events_pending", table_name="record_events")
    op.drop_table("record_events")
