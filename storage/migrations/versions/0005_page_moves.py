"""pages moved between documents: the type and pages of each version, and superseded renditions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:00:00

Moving pages between documents (split, merge, one page) writes a new version of each document involved, so a
version now records the document's type and pages as well as its fields. The OCR text and searchable PDF
of the old page set stay stored and linked, marked `superseded_in` the version that replaced them.
Existing versions get the document's current type and pages, which is what they had: nothing moved before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document_versions", sa.Column("type", sa.String(length=40), nullable=True))
    op.add_column("document_versions", sa.Column("page_range", sa.String(length=200), nullable=True))
    op.add_column("document_files", sa.Column("superseded_in", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE document_versions SET "
        "type = (SELECT d.type FROM documents d WHERE d.id = document_versions.document_id), "
        "page_range = (SELECT d.page_range FROM documents d WHERE d.id = document_versions.document_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("document_files") as batch_op:
        batch_op.drop_column("superseded_in")
    with op.batch_alter_table("document_versions") as batch_op:
        batch_op.drop_column("page_range")
        batch_op.drop_column("type")
