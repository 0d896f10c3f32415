"""Turn stored dataclasses into what templates and the JSON API show. No I/O except via `store`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timezone

from crosscheck.model import Analysis, Article, Written


def format_date(value: datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "date unknown"
    return value.strftime("%Y-%m-%d %H:%M UTC" if with_time else "%Y-%m-%d")


def provenance_badges(article: Article) -> list[tuple[str, str]]:
    """(css class, label) pairs a reader sees next to a source."""
    p = article.provenance
    badges = []
    if article.duplicate_of:
        badges.append(("copy", "copy of an earlier article"))
    if p.ai_generated:
        badges.append(("ai", "AI-written"))
    if p.translated or p.original_url:
        badges.append(("translated", "translated / aggregated"))
    if p.opinion:
        badges.append(("opinion", "opinion"))
    if not badges:
        badges.append(("original", "original reporting"))
    return badges


def story_badges(store, story_id: str) -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    for article in store.story_articles(story_id):
        for css, label in provenance_badges(article):
            if css != "original":
                seen.setdefault(css, (css, label))
    return list(seen.values())


@dataclass
class SourceView:
    number: int | None  # the [n] the summary uses, when cited
    article: Article
    badges: list[tuple[str, str]] = field(default_factory=list)


def sources(articles: list[Article], written: Written | None) -> list[SourceView]:
    numbers = {aid: i + 1 for i, aid in enumerate(written.sources)} if written else {}
    views = [SourceView(numbers.get(a.id), a, provenance_badges(a)) for a in articles]
    return sorted(views, key=lambda v: (v.number is None, v.number or 0))


@dataclass
class SentenceView:
    index: int
    text: str


def article_paragraphs(article: Article, analysis: Analysis | None) -> list[list[SentenceView]]:
    """Sentences grouped in paragraphs, each an anchor (#s<index>) a citation can jump to."""
    if analysis is None or not analysis.sentences:
        return [[SentenceView(-1, p)] for p in article.text.split("\n\n") if p.strip()]
    paragraphs: list[list[SentenceView]] = [[]]
    previous_end = 0
    for s in analysis.sentences:
        if paragraphs[-1] and "\n" in article.text[previous_end:s.start]:
            paragraphs.append([])
        paragraphs[-1].append(SentenceView(s.index, article.text[s.start:s.end]))
        previous_end = s.end
    return [p for p in paragraphs if p]


def story_summary_json(row) -> dict:
    return {"id": row.id, "title": row.title, "description": row.description,
            "article_count": row.article_count, "origin_count": row.origin_count, "outlets": row.outlets,
            "first_published": row.first_published, "last_published": row.last_published,
            "updated": row.updated}


def article_json(article: Article, with_text: bool) -> dict:
    data = asdict(article)
    data["origin"] = article.origin
    if not with_text:
        data.pop("text")
    return data


def story_jsonld(request, row, articles: list[Article], written: Written | None) -> dict:
    """schema.org NewsArticle for the story page: citations and isBasedOn point at the sources."""
    base = str(request.base_url).rstrip("/")
    cited = [{"@type": "NewsArticle", "headline": a.title, "url": a.url or f"{base}/articles/{a.id}",
              **({"datePublished": a.published.isoformat()} if a.published else {}),
              **({"publisher": {"@type": "Organization", "name": a.source}} if a.source else {})}
             for a in articles]
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": (written.seo_title if written and written.seo_title else row.title)[:110],
            "url": f"{base}/stories/{row.id}", "dateModified": row.updated.isoformat(),
            "citation": cited, "isBasedOn": [c["url"] for c in cited]}
    if written and written.meta_description:
        data["description"] = written.meta_description
    if row.first_published:
        data["datePublished"] = row.first_published.isoformat()
    return data


# ---------------------------------------------------------------- entities, claims, comments

@dataclass
class EntityView:
    key: str
    name: str
    label: str
    articles: int  # how many of the story's articles mention it


ENTITY_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
                 "NORP": "group", "EVENT": "event", "OTHER": "other"}


def story_entities(analyses: list[Analysis], limit: int = 12) -> list[EntityView]:
    """The people, places and organisations most of the story's articles mention."""
    counts: dict[str, set[str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for analysis in analyses:
        for mention in analysis.mentions:
            if mention.entity_key:
                counts.setdefault(mention.entity_key, set()).add(analysis.article_id)
        for entity in analysis.entities:
            names.setdefault(entity.key, (entity.name, entity.label))
    ranked = sorted((k for k in counts if k in names), key=lambda k: (-len(counts[k]), names[k][0]))
    return [EntityView(k, names[k][0], names[k][1], len(counts[k])) for k in ranked[:limit]]


def claim_sentences(analysis: Analysis | None) -> dict[int, str]:
    """sentence index → a short description of the claims read from it (for highlighting)."""
    if analysis is None:
        return {}
    found: dict[int, list[str]] = {}
    for claim in analysis.claims:
        label = claim.action + (" (planned)" if claim.planned else "")
        found.setdefault(claim.evidence.sentence_index, []).append(label)
    return {i: "claim: " + ", ".join(dict.fromkeys(labels)) for i, labels in found.items()}


@dataclass
class CommentView:
    comment: object  # store.accounts.CommentRow
    replies: list = field(default_factory=list)


def comment_threads(rows: list, viewer_is_moderator: bool) -> list[CommentView]:
    """Top-level comments with their replies (one level). Hidden ones stay in place for the
    moderators and become a placeholder for everyone else, so replies keep their context."""
    tops: dict[int, CommentView] = {}
    order: list[CommentView] = []
    for row in rows:
        if row.parent_id is None:
            tops[row.id] = CommentView(row)
            order.append(tops[row.id])
    for row in rows:
        if row.parent_id is not None and row.parent_id in tops:
            tops[row.parent_id].replies.append(CommentView(row))

    def visible(view: CommentView) -> bool:
        gone = view.comment.deleted or (view.comment.hidden and not viewer_is_moderator)
        return not gone or bool(view.replies)

    return [v for v in order if visible(v)]


def comment_json(row) -> dict:
    shown = not (row.deleted or row.hidden)
    return {"id": row.id, "story_id": row.story_id, "parent_id": row.parent_id,
            "author": row.author if shown else None, "html": row.html if shown else None,
            "created": row.created, "edited": row.edited, "deleted": row.deleted, "hidden": row.hidden}


def entity_json(entity, story_rows: list) -> dict:
    return {"key": entity.key, "name": entity.name, "label": entity.label, "aliases": entity.aliases,
            "stories": [story_summary_json(r) for r in story_rows]}


# ---------------------------------------------------------------- input hygiene

def parse_day(value: str | None, end: bool = False) -> datetime | None:
    """'2026-01-02' → the start (or end) of that day in UTC; ValueError on anything else."""
    if not value:
        return None
    day = date.fromisoformat(value.strip())
    return datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)


def clean_text(value: str | None, limit: int = 500) -> str:
    """User text bound for the database: NUL bytes (PostgreSQL rejects them) and lone surrogates
    (not encodable) removed, length capped."""
    if not value:
        return ""
    return value.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")[:limit]
