"""users: a credentials version that every session cookie and API token carries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:30:00

Sessions and API tokens are signed and valid for a working day; without a server-side check a user who was
deactivated, changed their password or was signed out everywhere kept access until they expired. Each
sign-in now records the user's `credentials_version`, every request compares it with the row (and checks
`active`), and those three actions raise it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("credentials_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("credentials_version")
