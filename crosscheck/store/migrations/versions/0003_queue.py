"""Feeds to poll, per-host politeness state, stage throughput and task failures (the queue's tables).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from crosscheck.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("added", UTCDateTime, nullable=False),
        sa.Column("poll_interval_s", sa.Integer, nullable=False),
        sa.Column("next_poll_at", UTCDateTime, nullable=False),
        sa.Column("etag", sa.Text),  # validators from the last 200, sent back as If-None-Match / -Since
        sa.Column("last_modified", sa.Text),
        sa.Column("last_polled", UTCDateTime),
        sa.Column("last_success", UTCDateTime),
        sa.Column("last_error", sa.Text),  # one line; cleared by the next success
        sa.Column("last_error_at", UTCDateTime),
        sa.Column("consecutive_errors", sa.Integer, nullable=False),  # drives the backoff
        sa.Column("total_errors", sa.Integer, nullable=False),
        sa.Column("entries_seen", sa.Integer, nullable=False),
        sa.Column("articles_added", sa.Integer, nullable=False),
    )
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    op.create_table(
        "feed_hosts",
        sa.Column("host", sa.Text, primary_key=True),
        sa.Column("next_fetch_at", UTCDateTime),  # rate limit: the next free request slot
        sa.Column("backoff_until", UTCDateTime),  # after 429/5xx/timeouts from this host
        sa.Column("consecutive_errors", sa.Integer, nullable=False),
        sa.Column("robots_txt", sa.Text),  # None: not fetched yet
        sa.Column("robots_status", sa.Integer),
        sa.Column("robots_fetched_at", UTCDateTime),
    )
    op.create_table(
        "stage_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
    )
    op.create_index("ix_stage_runs_finished_at", "stage_runs", ["finished_at"])
    op.create_table(
        "task_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),  # a feed URL, an article id, a story id
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_task_failures_at", "task_failures", ["at"])


def downgrade() -> None:
    for table in ("task_failures", "stage_runs", "feed_hosts", "feeds"):
        op.drop_table(table)
