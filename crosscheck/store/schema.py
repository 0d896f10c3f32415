"""Tables, as SQLAlchemy Core. Changes go through numbered Alembic migrations in migrations/versions."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, LargeBinary,
                        MetaData, String, Table, Text, TypeDecorator)
from sqlalchemy.dialects.postgresql import JSONB


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on both backends: stored as UTC, read back with tzinfo=UTC.

    SQLite has no timezone type; without this, aware and naive datetimes would mix and
    comparisons (time windows, ordering) would raise or silently go wrong.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


JSONDoc = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("url", Text),
    Column("canonical_url", Text, unique=True),
    Column("source", Text),
    Column("author", Text),
    Column("published", UTCDateTime),
    Column("language", String(16)),
    Column("description", Text),
    Column("provenance", JSONDoc, nullable=False),
    Column("related", JSONDoc, nullable=False),
    Column("input_name", Text, nullable=False, default=""),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("duplicate_of", String(64)),
    Column("signature", LargeBinary),
    Column("story_id", String(64), index=True),
    Column("ingested_at", UTCDateTime, nullable=False),
)
Index("ix_articles_ingested_at", articles.c.ingested_at)
Index("ix_articles_published", articles.c.published)

analyses = Table(
    "analyses", metadata,
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("data", JSONDoc, nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("key", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("aliases", JSONDoc, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("entity_key", String(200), nullable=False, index=True),
    Column("sentence_index", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

stories = Table(
    "stories", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_published", UTCDateTime),
    Column("last_published", UTCDateTime, index=True),
    Column("updated", UTCDateTime, nullable=False, index=True),
    Column("article_count", Integer, nullable=False, default=0),
    Column("origin_count", Integer, nullable=False, default=0),
    Column("outlets", JSONDoc, nullable=False),
    Column("profile", JSONDoc, nullable=False),  # the cluster stage's opaque state
    Column("written", JSONDoc),  # model.Written, as JSON
    Column("groups", JSONDoc),  # list[model.ClaimGroup], as JSON
    Column("stale", Boolean, nullable=False, default=True),  # new articles since last write
)

# Old story id → the id it was merged into by `crosscheck recluster`, so links keep working.
story_redirects = Table(
    "story_redirects", metadata,
    Column("old_id", String(64), primary_key=True),
    Column("new_id", String(64), nullable=False),
)
