"""task tallies: the inbox header counts from a few hundred rows, kept by triggers on `tasks`

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:50:00

The header of a department's inbox counts its open tasks, those due, and the user's own. Counted from the
tasks, that walks every index entry of the department (100,000 for the issue's benchmark: 15 ms on SQLite,
30-60 ms on PostgreSQL, each time a page is shown). `task_tallies` holds how many active tasks there are per
(department, due date, follow-up or not, assignee), kept by triggers on `tasks` in the same transaction as
every insert, update and delete, so no writer (the dispatcher, a task action, a bulk load) can forget it; the
counts then sum at most a few hundred rows. Zero rows are left in place (they are reused by the next task
of the day). Existing tasks are tallied here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_KEY = "department, due_sort, follow_up, assignee"
_CHANGED = (
    "(OLD.active, OLD.department, OLD.due_sort, OLD.kind, OLD.assignee) IS NOT "
    "(NEW.active, NEW.department, NEW.due_sort, NEW.kind, NEW.assignee)"
)

_SQLITE = [
    f"""
    CREATE TRIGGER tasks_tally_insert AFTER INSERT ON tasks WHEN NEW.active
    BEGIN
        INSERT INTO task_tallies ({_KEY}, n)
        VALUES (NEW.department, NEW.due_sort, NEW.kind = 'follow_up', coalesce(NEW.assignee, ''), 1)
        ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER tasks_tally_delete AFTER DELETE ON tasks WHEN OLD.active
    BEGIN
        UPDATE task_tallies SET n = n - 1
        WHERE department = OLD.department AND due_sort = OLD.due_sort
          AND follow_up = (OLD.kind = 'follow_up') AND assignee = coalesce(OLD.assignee, '');
    END
    """,
    f"""
    CREATE TRIGGER tasks_tally_update AFTER UPDATE OF active, department, due_sort, kind, assignee ON tasks
    WHEN {_CHANGED}
    BEGIN
        UPDATE task_tallies SET n = n - 1
        WHERE OLD.active AND department = OLD.department AND due_sort = OLD.due_sort
          AND follow_up = (OLD.kind = 'follow_up') AND assignee = coalesce(OLD.assignee, '');
        INSERT INTO task_tallies ({_KEY}, n)
        SELECT NEW.department, NEW.due_sort, NEW.kind = 'follow_up', coalesce(NEW.assignee, ''), 1 WHERE NEW.active
        ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;
    END
    """,
]

_POSTGRESQL = [
    f"""
    CREATE FUNCTION task_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NOT ({_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")}) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.active THEN
            UPDATE task_tallies SET n = n - 1
            WHERE department = OLD.department AND due_sort = OLD.due_sort
              AND follow_up = (OLD.kind = 'follow_up') AND assignee = coalesce(OLD.assignee, '');
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.active THEN
            INSERT INTO task_tallies ({_KEY}, n)
            VALUES (NEW.department, NEW.due_sort, NEW.kind = 'follow_up', coalesce(NEW.assignee, ''), 1)
            ON CONFLICT ({_KEY}) DO UPDATE SET n = task_tallies.n + 1;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER tasks_tally AFTER INSERT OR DELETE OR UPDATE OF active, department, due_sort, kind, assignee
    ON tasks FOR EACH ROW EXECUTE FUNCTION task_tally()
    """,
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "task_tallies",
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("due_sort", sa.String(length=10), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("assignee", sa.String(length=120), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("department", "due_sort", "follow_up", "assignee"),
    )
    op.execute(
        f"INSERT INTO task_tallies ({_KEY}, n) "
        "SELECT department, due_sort, kind = 'follow_up', coalesce(assignee, ''), count(*) FROM tasks "
        f"WHERE active {'= 1' if sqlite else 'IS TRUE'} GROUP BY department, due_sort, kind = 'follow_up', "
        "coalesce(assignee, '')"
    )
    for statement in _SQLITE if sqlite else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("tasks_tally_insert", "tasks_tally_delete", "tasks_tally_update"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER tasks_tally ON tasks")
        op.execute("DROP FUNCTION task_tally()")
    op.drop_table("task_tallies")
