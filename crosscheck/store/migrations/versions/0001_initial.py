"""Articles, analyses, entities, mentions, stories and full-text search.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from crosscheck.store.schema import JSONDoc, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text, unique=True),
        sa.Column("source", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", UTCDateTime),
        sa.Column("language", sa.String(16)),
        sa.Column("description", sa.Text),
        sa.Column("provenance", JSONDoc, nullable=False),
        sa.Column("related", JSONDoc, nullable=False),
        sa.Column("input_name", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("signature", sa.LargeBinary),
        sa.Column("story_id", sa.String(64)),
        sa.Column("ingested_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_index("ix_articles_ingested_at", "articles", ["ingested_at"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("data", JSONDoc, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("aliases", JSONDoc, nullable=False),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("entity_key", sa.String(200), nullable=False),
        sa.Column("sentence_index", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_index("ix_mentions_entity_key", "mentions", ["entity_key"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_published", UTCDateTime),
        sa.Column("last_published", UTCDateTime),
        sa.Column("updated", UTCDateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("origin_count", sa.Integer, nullable=False),
        sa.Column("outlets", JSONDoc, nullable=False),
        sa.Column("profile", JSONDoc, nullable=False),
        sa.Column("written", JSONDoc),
        sa.Column("groups", JSONDoc),
        sa.Column("stale", sa.Boolean, nullable=False),
    )
    op.create_index("ix_stories_last_published", "stories", ["last_published"])
    op.create_index("ix_stories_updated", "stories", ["updated"])
    op.create_table(
        "story_redirects",
        sa.Column("old_id", sa.String(64), primary_key=True),
        sa.Column("new_id", sa.String(64), nullable=False),
    )
    # Full-text search: FTS5 on SQLite, a generated tsvector with a GIN index on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_search USING fts5("
                   "article_id UNINDEXED, title, text, tokenize='porter unicode61')")
    else:
        op.execute("ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE article_search")
    for table in ("story_redirects", "stories", "mentions", "entities", "analyses", "articles"):
        op.drop_table(table)
