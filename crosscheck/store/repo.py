"""The Store interface over SQLAlchemy Core: SQLite by default, PostgreSQL when given a URL.

All SQL is built with SQLAlchemy expressions or bound parameters: no string-formatted values.
Each write method runs in its own transaction, so a failure part-way through a batch never
leaves a half-written article or story behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from pydantic import TypeAdapter
from sqlalchemy import (and_, bindparam, create_engine, delete, event, func, insert, literal_column, or_,
                        select, text, update)
from sqlalchemy.engine import Engine

from crosscheck.model import (Analysis, Article, ClaimGroup, Entity, Provenance, RelatedLink, Written,
                              origins_of)
from crosscheck.store.schema import (analyses, articles, entities, mentions, stories,
                                     story_redirects)

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(db: str) -> str:
    """`crosscheck.db` or `/path/x.sqlite` → a SQLite URL; URLs pass through (postgres → psycopg 3)."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith("postgres://"):
        db = "postgresql://" + db[len("postgres://"):]
    if db.startswith("postgresql://"):
        db = "postgresql+psycopg://" + db[len("postgresql://"):]
    return db


@lru_cache(maxsize=None)
def _adapter(kind):
    return TypeAdapter(kind)


def to_json(kind, value):
    return _adapter(kind).dump_python(value, mode="json")


def from_json(kind, value):
    return _adapter(kind).validate_python(value)


@dataclass
class StoryRow:
    """A story as listed: enough for the home page, `crosscheck stories` and feeds."""

    id: str
    title: str
    article_count: int
    origin_count: int
    outlets: list[str]
    first_published: datetime | None
    last_published: datetime | None
    updated: datetime
    description: str = ""


@dataclass
class SearchHit:
    article_id: str
    title: str
    story_id: str | None
    source: str | None
    published: datetime | None
    snippet: str  # matched words are wrapped in « » (escaped and highlighted by the page)


class Store:
    def __init__(self, db: str):
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url, future=True, pool_pre_ping=True)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @classmethod
    def open(cls, db: str) -> Store:
        store = cls(db)
        store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ schema

    def migrate(self) -> None:
        """Bring the schema to the newest numbered migration (a no-op when it is there)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    @staticmethod
    def newest_version() -> str:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(cfg).get_current_head()

    # ------------------------------------------------------------ articles

    def find_existing(self, article: Article) -> str | None:
        """Id of an article already stored with the same id, canonical URL or text."""
        conds = [articles.c.id == article.id, articles.c.content_hash == article.content_hash]
        if article.canonical_url:
            conds.append(articles.c.canonical_url == article.canonical_url)
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(or_(*conds)).limit(1)).scalar()

    def add_article(self, article: Article, signature: bytes | None = None) -> None:
        row = article_row(article, signature)
        with self.engine.begin() as conn:
            conn.execute(insert(articles).values(**row))
            index_for_search(conn, row)

    def get_article(self, article_id: str) -> Article | None:
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        ids = list(ids)
        if not ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.id.in_(ids))).mappings().all()
        by_id = {r["id"]: _article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def story_articles(self, story_id: str) -> list[Article]:
        with self.engine.connect() as conn:
            return _story_members(conn, story_id)

    def article_story_id(self, article_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.story_id).where(articles.c.id == article_id)).scalar()

    def recent_signatures(self, since: datetime) -> Iterator[tuple[str, bytes]]:
        """MinHash signatures of first copies ingested since `since`, for near-duplicate search."""
        query = (select(articles.c.id, articles.c.signature)
                 .where(articles.c.ingested_at >= since, articles.c.signature.is_not(None),
                        articles.c.duplicate_of.is_(None)))
        with self.engine.connect() as conn:
            yield from conn.execute(query)

    def pending_articles(self) -> list[Article]:
        """Stored articles not yet in a story: new ones, or left over by an interrupted run."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.story_id.is_(None))
                                .order_by(articles.c.published.is_(None), articles.c.published,
                                          articles.c.id)).mappings().all()
        return [_article(r) for r in rows]

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    # ------------------------------------------------------------ analyses, entities

    def save_analysis(self, analysis: Analysis) -> None:
        """Replace an article's analysis and its entity mentions in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(analyses).where(analyses.c.article_id == analysis.article_id))
            conn.execute(insert(analyses).values(article_id=analysis.article_id,
                                                 data=to_json(Analysis, analysis)))
            conn.execute(delete(mentions).where(mentions.c.article_id == analysis.article_id))
            rows = [{"article_id": analysis.article_id, "entity_key": m.entity_key,
                     "sentence_index": m.evidence.sentence_index, "start": m.evidence.start,
                     "end": m.evidence.end} for m in analysis.mentions if m.entity_key]
            if rows:
                conn.execute(insert(mentions), rows)
            for entity in analysis.entities:
                self._upsert_entity(conn, entity)

    def _upsert_entity(self, conn, entity: Entity) -> None:
        existing = conn.execute(select(entities.c.aliases).where(entities.c.key == entity.key)).first()
        if existing is None:
            conn.execute(insert(entities).values(key=entity.key, name=entity.name, label=entity.label,
                                                 aliases=sorted(set(entity.aliases))))
        else:
            aliases = sorted(set(existing[0]) | set(entity.aliases))
            conn.execute(update(entities).where(entities.c.key == entity.key).values(aliases=aliases))

    def get_analyses(self, article_ids: Iterable[str]) -> list[Analysis]:
        ids = list(article_ids)
        if not ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(analyses).where(analyses.c.article_id.in_(ids))).mappings().all()
        by_id = {r["article_id"]: from_json(Analysis, r["data"]) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def get_entity(self, key: str) -> Entity | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(entities).where(entities.c.key == key)).mappings().first()
        return Entity(row["key"], row["name"], row["label"], list(row["aliases"])) if row else None

    def entity_story_ids(self, key: str, limit: int = 50) -> list[str]:
        query = (select(articles.c.story_id, func.max(stories.c.updated).label("updated"))
                 .select_from(mentions.join(articles, articles.c.id == mentions.c.article_id)
                              .join(stories, stories.c.id == articles.c.story_id))
                 .where(mentions.c.entity_key == key).group_by(articles.c.story_id)
                 .order_by(text("updated DESC")).limit(limit))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    # ------------------------------------------------------------ stories

    def load_profiles(self, active_since: datetime | None, recent: int = 2000) -> list[tuple[str, datetime | None, dict]]:
        """Cluster profiles of stories active since a time, plus the most recently updated ones."""
        with self.engine.connect() as conn:
            query = select(stories.c.id, stories.c.last_published, stories.c.profile)
            rows = {}
            if active_since is not None:
                for r in conn.execute(query.where(stories.c.last_published >= active_since)):
                    rows[r[0]] = r
            for r in conn.execute(query.order_by(stories.c.updated.desc()).limit(recent)):
                rows[r[0]] = r
        return [(r[0], r[1], r[2]) for r in sorted(rows.values(), key=lambda r: r[0])]

    def assign_story(self, article_id: str, story_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == article_id).values(story_id=story_id))

    def save_story(self, story_id: str, *, title: str, profile: dict) -> None:
        """Create or refresh a story's header from its member articles; marks it for rewriting."""
        self.save_stories([], [(story_id, profile)], title_of=lambda _members: title)

    def save_stories(self, moves: list[tuple[str, str]], changed: list[tuple[str, dict]],
                     title_of: Callable[[list[Article]], str], retired: dict[str, str] | None = None) -> None:
        """One assignment pass in one transaction: all of it, or none of it.

        Sets each (article id, story id) in `moves`, then refreshes the header (title from
        `title_of(members)`, counts, dates) and the clusterer's profile of each (story id,
        profile) in `changed`, then folds each retired id into its successor. Done in separate
        transactions, a crash between them would leave stories whose header and profile miss
        articles they hold, and no later run would notice (those articles are no longer pending).
        """
        with self.engine.begin() as conn:
            if moves:
                conn.execute(update(articles).where(articles.c.id == bindparam("aid"))
                             .values(story_id=bindparam("sid")), [{"aid": a, "sid": s} for a, s in moves])
            for story_id, profile in changed:
                members = _story_members(conn, story_id)
                _write_header(conn, story_id, title_of(members), profile, members)
            for old_id, new_id in sorted((retired or {}).items()):
                _retire(conn, old_id, new_id)

    def stale_story_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(stories.c.id).where(stories.c.stale.is_(True))
                                               .order_by(stories.c.id))]

    def save_written(self, story_id: str, written: Written, groups: list[ClaimGroup]) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(stories).where(stories.c.id == story_id).values(
                written=to_json(Written, written), groups=to_json(list[ClaimGroup], groups), stale=False))

    def story_ids_active_since(self, since: datetime | None) -> list[str]:
        """Stories whose newest article is at or after `since` (all stories when None)."""
        query = select(stories.c.id).order_by(stories.c.id)
        if since is not None:
            query = query.where(or_(stories.c.last_published >= since, stories.c.last_published.is_(None)))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def newest_published(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(stories.c.last_published))).scalar()

    def retire_story(self, old_id: str, new_id: str) -> None:
        """Reclustering folded `old_id` into `new_id`: links, redirects and discussions follow it."""
        with self.engine.begin() as conn:
            _retire(conn, old_id, new_id)

    def resolve_story_id(self, story_id: str) -> str:
        """Follow a redirect left by reclustering, so old links keep working."""
        with self.engine.connect() as conn:
            new = conn.execute(select(story_redirects.c.new_id)
                               .where(story_redirects.c.old_id == story_id)).scalar()
        return new or story_id

    def get_story(self, story_id: str) -> StoryRow | None:
        rows = self._story_rows(stories.c.id == story_id, limit=1)
        return rows[0] if rows else None

    def list_stories(self, limit: int = 50, offset: int = 0, order: str = "recent") -> list[StoryRow]:
        return self._story_rows(None, limit=limit, offset=offset, order=order)

    def count_stories(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(stories)).scalar_one()

    def get_written(self, story_id: str) -> tuple[Written | None, list[ClaimGroup]]:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories.c.written, stories.c.groups)
                               .where(stories.c.id == story_id)).first()
        if row is None or row[0] is None:
            return None, []
        return from_json(Written, row[0]), from_json(list[ClaimGroup], row[1] or [])

    def related_story_ids(self, story_id: str, limit: int = 5) -> list[str]:
        """Other stories sharing the most people, organisations and events with this one.

        Places and nationalities ("the United States", "Japanese") are shared by unrelated news
        every day, so they never make two stories related on their own.
        """
        specific = and_(*(~mentions.c.entity_key.like(f"{kind}:%") for kind in _BROAD_ENTITY_KINDS))
        own_keys = (select(mentions.c.entity_key)
                    .select_from(mentions.join(articles, articles.c.id == mentions.c.article_id))
                    .where(articles.c.story_id == story_id, specific).distinct())
        shared = func.count(func.distinct(mentions.c.entity_key)).label("shared")
        query = (select(articles.c.story_id, shared)
                 .select_from(mentions.join(articles, articles.c.id == mentions.c.article_id))
                 .where(mentions.c.entity_key.in_(own_keys), articles.c.story_id != story_id,
                        articles.c.story_id.is_not(None))
                 .group_by(articles.c.story_id).order_by(shared.desc(), articles.c.story_id).limit(limit))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def _story_rows(self, where, limit: int, offset: int = 0, order: str = "recent") -> list[StoryRow]:
        ordering = ([stories.c.origin_count.desc(), stories.c.article_count.desc()] if order == "covered"
                    else [stories.c.last_published.is_(None), stories.c.last_published.desc()])
        query = select(stories.c.id, stories.c.title, stories.c.article_count, stories.c.origin_count,
                       stories.c.outlets, stories.c.first_published, stories.c.last_published,
                       stories.c.updated, stories.c.written)
        if where is not None:
            query = query.where(where)
        query = query.order_by(*ordering, stories.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [StoryRow(id=r["id"], title=r["title"], article_count=r["article_count"],
                         origin_count=r["origin_count"], outlets=list(r["outlets"]),
                         first_published=r["first_published"], last_published=r["last_published"],
                         updated=r["updated"],
                         description=(r["written"] or {}).get("meta_description", ""))
                for r in rows]

    # ------------------------------------------------------------ search

    def search(self, query: str, limit: int = 20, source: str | None = None,
               since: datetime | None = None, until: datetime | None = None) -> list[SearchHit]:
        """Full-text search over article titles and bodies. User text is only ever a bound value."""
        terms = _search_terms(query)
        if not terms:
            return []
        filters = []
        if source:
            filters.append(articles.c.source == source)
        if since:
            filters.append(articles.c.published >= since)
        if until:
            filters.append(articles.c.published <= until)
        if self.dialect == "sqlite":
            match = " ".join(f'"{t}"' for t in terms)  # each term quoted: FTS5 syntax can't leak in
            ranked = (select(literal_column("article_id").label("article_id"),
                             literal_column("snippet(article_search, 2, '«', '»', ' … ', 24)").label("snip"),
                             literal_column("bm25(article_search)").label("rank"))
                      .select_from(text("article_search"))
                      .where(text("article_search MATCH :match")).subquery())
            query_ = (select(articles.c.id, articles.c.title, articles.c.story_id, articles.c.source,
                             articles.c.published, ranked.c.snip)
                      .join(ranked, ranked.c.article_id == articles.c.id)
                      .where(*filters).order_by(ranked.c.rank).limit(limit))
            params = {"match": match}
        else:
            tsquery = func.plainto_tsquery("english", " ".join(terms))
            search_col = literal_column("articles.search")
            query_ = (select(articles.c.id, articles.c.title, articles.c.story_id, articles.c.source,
                             articles.c.published,
                             func.ts_headline("english", articles.c.text, tsquery,
                                              "MaxWords=30, MinWords=10, StartSel=«, StopSel=»").label("snip"))
                      .where(search_col.op("@@")(tsquery), *filters)
                      .order_by(func.ts_rank(search_col, tsquery).desc()).limit(limit))
            params = {}
        with self.engine.connect() as conn:
            rows = conn.execute(query_, params).all()
        return [SearchHit(article_id=r[0], title=r[1], story_id=r[2], source=r[3], published=r[4],
                          snippet=r[5] or "") for r in rows]


_BROAD_ENTITY_KINDS = ("gpe", "loc", "norp")


def article_row(article: Article, signature: bytes | None) -> dict:
    """The `articles` row for an article (shared by every writer of that table)."""
    return {
        "id": article.id, "title": article.title, "text": article.text, "url": article.url,
        "canonical_url": article.canonical_url, "source": article.source, "author": article.author,
        "published": article.published, "language": article.language,
        "description": article.description, "provenance": to_json(Provenance, article.provenance),
        "related": to_json(list[RelatedLink], article.related), "input_name": article.input_name,
        "content_hash": article.content_hash, "duplicate_of": article.duplicate_of,
        "signature": signature, "ingested_at": datetime.now(timezone.utc),
    }


def index_for_search(conn, row: dict) -> None:
    """Add a newly inserted article row to full-text search, in the same transaction.

    SQLite's FTS5 table is written here; PostgreSQL indexes a generated column by itself."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO article_search (article_id, title, text) VALUES (:id, :title, :text)"),
                     {"id": row["id"], "title": row["title"], "text": row["text"]})


def _search_terms(query: str) -> list[str]:
    return re.findall(r"\w+", query, flags=re.UNICODE)[:20]


def _story_members(conn, story_id: str) -> list[Article]:
    rows = conn.execute(select(articles).where(articles.c.story_id == story_id)
                        .order_by(articles.c.published.is_(None), articles.c.published,
                                  articles.c.id)).mappings().all()
    return [_article(r) for r in rows]


def _write_header(conn, story_id: str, title: str, profile: dict, members: list[Article]) -> None:
    """Create or refresh a story's header from its member articles; marks it for rewriting."""
    dates = [m.published for m in members if m.published]
    outlets = sorted({m.source for m in members if m.source})
    origins = set(origins_of(members).values())
    values = dict(title=title, profile=profile, article_count=len(members),
                  origin_count=len(origins), outlets=outlets,
                  first_published=min(dates) if dates else None,
                  last_published=max(dates) if dates else None,
                  updated=datetime.now(timezone.utc), stale=True)
    if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first():
        conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
    else:
        conn.execute(insert(stories).values(id=story_id, **values))


def _retire(conn, old_id: str, new_id: str) -> None:
    from crosscheck.store.accounts import comments  # the discussion belongs to the event, not the id

    conn.execute(update(story_redirects).where(story_redirects.c.new_id == old_id).values(new_id=new_id))
    conn.execute(delete(story_redirects).where(story_redirects.c.old_id == old_id))
    conn.execute(insert(story_redirects).values(old_id=old_id, new_id=new_id))
    conn.execute(update(comments).where(comments.c.story_id == old_id).values(story_id=new_id))
    conn.execute(update(articles).where(articles.c.story_id == old_id).values(story_id=new_id))
    conn.execute(delete(stories).where(stories.c.id == old_id))


def _article(row) -> Article:
    return Article(
        id=row["id"], title=row["title"], text=row["text"], url=row["url"],
        canonical_url=row["canonical_url"], source=row["source"], author=row["author"],
        published=row["published"], language=row["language"], description=row["description"],
        provenance=from_json(Provenance, row["provenance"]),
        related=from_json(list[RelatedLink], row["related"]), input_name=row["input_name"],
        content_hash=row["content_hash"], duplicate_of=row["duplicate_of"],
    )


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (the web server) don't block the ingester
    # In WAL mode NORMAL never corrupts the database; an OS crash (not an app crash) may roll back
    # the last few commits, which re-running the idempotent ingest restores. FULL costs ~6 ms/commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
