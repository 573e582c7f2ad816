"""An index on mentions.about_event_id: replacing a resolution deletes every event, and each delete
sets the statements about it to NULL; without the index each one scanned every mention (1.7 s of
a 600-article refresh, and growing with the square of the corpus).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_mentions_about_event_id", "mentions", ["about_event_id"])


def downgrade() -> None:
    op.drop_index("ix_mentions_about_event_id", table_name="mentions")
