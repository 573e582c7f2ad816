"""For `khabar serve` (#6): API tokens (the SHA-256 digest of each, its name and when it was made;
the token itself is shown once, by `khabar token create`, and never stored), and the indexes that
let the events list page through tens of thousands of events (see store/schema.py).

Revision ID: 0002
Revises: 0001
Create Date: 2025-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


UNDATED = sa.text("(date_start IS NULL)")
INDEXES = {
    "ix_events_by_date": [UNDATED, "date_start", "id", "date_end"],
    "ix_events_by_date_desc": [UNDATED, sa.text("date_start DESC"), sa.text("id DESC"), "date_end"],
    "ix_events_by_type": ["type", UNDATED, "date_start", "id"],
    "ix_events_by_country": ["country", UNDATED, "date_start", "id", "n_articles"],
    "ix_events_listing": [
        "date_start",
        "date_end",
        "type",
        "country",
        "place_id",
        "status",
        "n_articles",
        "killed_best",
        "killed_low",
        "id",
    ],
}


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("digest", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "events", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="events")
    op.drop_table("api_tokens")
