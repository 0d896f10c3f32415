"""Plain dataclasses shared by every stage.

Stages take these and return these; none of them knows about files, sockets or the
database. Every derived fact carries `Evidence` (article id + sentence index +
character span into `Article.text`) so the page can always show where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

# ---------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: `Article.text[start:end]`, inside sentence `sentence_index`."""

    article_id: str
    sentence_index: int
    start: int
    end: int


# ---------------------------------------------------------------- ingest


@dataclass
class RelatedLink:
    """A teaser of *another* story found on the page ("Related Articles"); never body text."""

    text: str
    url: str | None = None


@dataclass
class Provenance:
    """What the page says about where its text came from."""

    ai_generated: bool = False  # "This content is AI-generated based on source articles"
    opinion: bool = False  # "This article represents the views of the author himself"
    translated: bool = False  # machine-/human-translated, or aggregated from another language
    original_url: str | None = None  # "Original article: toutiao.com/article/…"
    cited_origins: list[str] = field(default_factory=list)  # "Kyodo News", "Nikkei", …
    notices: list[str] = field(default_factory=list)  # the disclaimer lines themselves


@dataclass
class Article:
    """One ingested article: clean body text plus metadata and provenance."""

    id: str  # stable: derived from the canonical URL, else from the text
    title: str
    text: str  # the body only: no disclaimers, related teasers or comment prompts
    url: str | None = None
    canonical_url: str | None = None
    source: str | None = None  # outlet / site name
    author: str | None = None
    published: datetime | None = None  # timezone-aware where known
    language: str | None = None
    description: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    related: list[RelatedLink] = field(default_factory=list)
    input_name: str = ""  # the file/URL/record it came from, for error messages
    content_hash: str = ""  # sha256 of normalised text: identical text → one article
    duplicate_of: str | None = None  # near-duplicate: id of the first copy we saw

    @property
    def origin(self) -> str:
        """The independent origin this article counts as (DESIGN: origins, not outlets).

        A near-duplicate's origin is its first copy's: use `origins_of(articles)`, which can
        see the first copy; alone, a copy only knows the first copy's id.
        """
        if self.duplicate_of:
            return f"article:{self.duplicate_of}"
        p = self.provenance
        # An aggregated, translated or AI-written article adds no reporting of its own: it
        # counts as the agency/outlet it is built on ("Kyodo News reported", "according to Nikkei").
        if p.cited_origins and (p.ai_generated or p.translated or p.original_url):
            return f"outlet:{p.cited_origins[0].lower()}"
        if p.original_url:
            return f"url:{p.original_url}"
        if self.source:
            return f"outlet:{self.source.lower()}"
        return f"article:{self.id}"


def origins_of(articles: list[Article]) -> dict[str, str]:
    """article id → independent origin, with near-duplicates mapped to their first copy's origin."""
    by_id = {a.id: a for a in articles}
    origins = {}
    for a in articles:
        first = a
        seen = {a.id}
        while first.duplicate_of and first.duplicate_of in by_id and first.duplicate_of not in seen:
            seen.add(first.duplicate_of)
            first = by_id[first.duplicate_of]
        origins[a.id] = first.origin
    return origins


# ---------------------------------------------------------------- understand


@dataclass(frozen=True)
class Sentence:
    article_id: str
    index: int
    start: int  # character offsets into Article.text
    end: int
    text: str


EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"]


@dataclass
class Mention:
    text: str
    label: str
    evidence: Evidence
    entity_key: str = ""  # canonical key, filled by entity linking


@dataclass
class Entity:
    """One real-world thing across articles; `key` is stable (e.g. "person:sanae-takaichi")."""

    key: str
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class Role:
    """A title held by someone, as one source states it ("Japanese Prime Minister X")."""

    holder: str  # entity key
    holder_name: str
    role: str  # normalised: "Prime Minister of Japan", "President of the United States"
    evidence: Evidence


Granularity = Literal["day", "part-of-month", "month", "season", "quarter", "year"]


@dataclass(frozen=True)
class TimeInterval:
    """A resolved time: [start, end] inclusive, with the granularity the text gave."""

    start: date
    end: date
    granularity: str  # one of Granularity
    label: str = ""  # ISO-ish display: "2026-03 (late)", "2026 spring", "2026-01-02"

    def contains(self, other: TimeInterval) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: TimeInterval) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass
class TimeExpression:
    text: str
    evidence: Evidence
    interval: TimeInterval | None  # None when relative and the publication date is unknown
    relative: bool = False  # resolved against publication date (or unresolvable)


ActionType = Literal[
    "visit", "meeting", "call", "report", "contract", "attack", "plan", "statement", "other"
]


@dataclass
class Quantity:
    value: float
    unit: str  # "USD", "people", "killed", "%", …
    text: str


@dataclass
class Claim:
    """A small structured statement read from one sentence of one article."""

    id: str  # stable: article id + sentence index + ordinal
    article_id: str
    action: str  # one of ActionType
    actors: list[str]  # entity keys
    evidence: Evidence
    text: str  # the sentence text
    targets: list[str] = field(default_factory=list)  # entity keys: who/what is acted on
    places: list[str] = field(default_factory=list)  # entity keys
    time: TimeInterval | None = None
    quantities: list[Quantity] = field(default_factory=list)
    attribution: str | None = None  # "Kyodo News, citing government sources"
    planned: bool = False  # plans / intends / is expected to
    extractor: str = "rules"  # "rules" or "llm"


@dataclass
class Analysis:
    """Everything the understand stage reads from one article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


# ---------------------------------------------------------------- cluster


@dataclass
class Story:
    id: str  # stable across reclustering where membership mostly stays
    title: str
    article_ids: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None
    updated: datetime | None = None


# ---------------------------------------------------------------- reconcile

GroupKind = Literal["corroborated", "single", "conflicting", "refinement"]


@dataclass
class ClaimGroup:
    """Claims from a story's sources lined up on one slot (e.g. "role:Prime Minister of Japan")."""

    id: str
    story_id: str
    kind: str  # one of GroupKind
    slot: str  # what is being compared
    summary: str  # one readable line: "Prime Minister of Japan: Takahashi Hayato vs Sanae Takaichi"
    values: dict[str, list[Evidence]] = field(default_factory=dict)  # value → supporting sentences
    origins: dict[str, list[str]] = field(default_factory=dict)  # value → independent origins
    claim_ids: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- write


@dataclass
class Citation:
    number: int  # [n] as shown on the page; n indexes Written.sources
    evidence: Evidence


CheckLabel = Literal["supported", "partial", "unsupported"]


@dataclass
class CheckResult:
    label: str  # one of CheckLabel
    score: float  # 0..1, higher = better supported
    reasons: list[str] = field(default_factory=list)  # "number 328.5 not in cited text", …


@dataclass
class SummarySentence:
    text: str
    citations: list[Citation]
    check: CheckResult
    compressed: bool = False
    disagreement: str | None = None  # claim group id shown next to it


@dataclass
class TimelineItem:
    interval: TimeInterval
    text: str
    citations: list[Citation]
    planned: bool = False


@dataclass
class Written:
    """A story page's written parts."""

    story_id: str
    mode: str  # "extractive" or "abstractive:<model>"
    summary: list[SummarySentence] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    disagreements: list[ClaimGroup] = field(default_factory=list)
    unknowns: list[ClaimGroup] = field(default_factory=list)  # "what we don't know yet"
    seo_title: str = ""
    meta_description: str = ""
    sources: list[str] = field(default_factory=list)  # article ids; Citation.number-1 indexes this
