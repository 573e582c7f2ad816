"""The events list's two other natural orders, deadliest first and most reported first, read
straight off an index like the date orders (#6): without them each such page sorted every event.

Revision ID: 0003
Revises: 0002
Create Date: 2025-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

KILLED = "coalesce(killed_best, killed_low)"
INDEXES = {
    "ix_events_by_killed_desc": [
        sa.text(f"({KILLED} IS NULL)"),
        sa.text(f"{KILLED} DESC"),
        sa.text("id DESC"),
    ],
    "ix_events_by_corroboration_desc": [
        sa.text("(n_articles IS NULL)"),
        sa.text("n_articles DESC"),
        sa.text("id DESC"),
    ],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="events")
