"""Page metadata from structured data first (JSON-LD, OpenGraph, <time>), then htmldate.

Publishers write the publication date, headline and author into JSON-LD and OpenGraph for
search engines; those are more reliable than dates guessed from the visible text, so they are
read first and htmldate is the fallback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from lxml.html import HtmlElement

_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\b")  # feeds' pubDate
_ARTICLE_TYPES = re.compile(r"(?:news)?article|blogposting|posting|report|opinion|webpage", re.I)


@dataclass
class PageMetadata:
    """What the page's structured data and head say about it."""

    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    canonical: str | None = None
    language: str | None = None
    description: str | None = None
    section: str | None = None
    schema_types: list[str] = field(default_factory=list)


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601, RFC 2822 or any common date spelling → aware datetime (UTC when unstated)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{10}(?:\d{3})?", value.strip())):
        # Unix time (seconds, or milliseconds as JavaScript writes it), as crawlers store it.
        seconds = float(value)
        parsed = datetime.fromtimestamp(seconds / 1000 if seconds > 1e11 else seconds, tz=UTC)
    else:
        text = str(value).strip()
        if not text:
            return None
        parsed = None
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        if parsed is None and _RFC2822.match(text):
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                parsed = None
        if parsed is None:
            from dateutil import parser as dateutil_parser  # htmldate's own dependency

            try:
                parsed = dateutil_parser.parse(text)
            except (ValueError, OverflowError, TypeError):
                return None
    if parsed.tzinfo is None:
        # Naive dates are stored as UTC so every stored datetime compares with every other.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        try:
            data = json.loads(script.text_content() or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return objects


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type", [])
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """<meta property|name|itemprop=K content=V> as {K: V} (first non-empty value wins)."""
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                tags.setdefault(key.strip().lower(), content)
    return tags


def _meta(tags: dict[str, str], *keys: str) -> str | None:
    return next((tags[k] for k in keys if k in tags), None)


def read_page_metadata(tree: HtmlElement) -> PageMetadata:
    """Metadata the page states explicitly; fields the page does not state stay None."""
    meta = PageMetadata()
    tags = _meta_tags(tree)
    articles = [o for o in _json_ld_objects(tree) if any(_ARTICLE_TYPES.search(t) for t in _types(o))]
    # Prefer a *NewsArticle/Article object over a WebPage one.
    articles.sort(key=lambda o: not any("article" in t.lower() or "posting" in t.lower() for t in _types(o)))
    for obj in articles:
        meta.schema_types.extend(_types(obj))
        meta.title = meta.title or _first_str(obj.get("headline"))
        meta.published = meta.published or parse_datetime(_first_str(obj.get("datePublished")))
        meta.modified = meta.modified or parse_datetime(_first_str(obj.get("dateModified")))
        meta.authors = meta.authors or _names(obj.get("author"))
        meta.site_name = meta.site_name or next(iter(_names(obj.get("publisher"))), None)
        meta.language = meta.language or _first_str(obj.get("inLanguage"))
        meta.description = meta.description or _first_str(obj.get("description"))
        meta.section = meta.section or _first_str(obj.get("articleSection"))
    meta.published = meta.published or parse_datetime(
        _meta(tags, "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate")
    )
    if meta.published is None:
        times = tree.xpath('//time[@itemprop="datePublished"]/@datetime | //time[@pubdate]/@datetime')
        times = times or tree.xpath("//article//time/@datetime | //time/@datetime")
        meta.published = parse_datetime(times[0]) if times else None
    meta.title = meta.title or _meta(tags, "og:title", "twitter:title")
    meta.site_name = meta.site_name or _meta(tags, "og:site_name", "application-name")
    meta.section = meta.section or _meta(tags, "article:section")
    meta.description = meta.description or _meta(tags, "og:description", "description")
    if not meta.authors:
        author = _meta(tags, "author", "article:author", "parsely-author", "sailthru.author")
        meta.authors = [author] if author and not author.startswith("http") else []
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or [_meta(tags, "og:url")]
    meta.canonical = canonical[0].strip() if canonical and canonical[0] else None
    language = tree.xpath("/html/@lang | /html/@xml:lang") or [_meta(tags, "og:locale", "content-language", "language")]
    meta.language = meta.language or (language[0] if language and language[0] else None)
    meta.language = normalise_language(meta.language)
    return meta


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return str(value).strip() if value not in (None, "") else None


def normalise_language(value: str | None) -> str | None:
    """"en-US" / "en_GB" / "EN" → "en"; None for anything that is not a language tag."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")


def strip_site_suffix(title: str, site_name: str | None, hostname: str | None = None) -> str:
    """"Headline | Site" / "Headline - Site News" → "Headline" when the tail names the site."""
    title = " ".join(title.split())
    names = {n.casefold() for n in (site_name, hostname) if n}
    if hostname:
        names.add(hostname.casefold().removeprefix("www.").split(".")[0])
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        tail_key = tail.casefold().strip()
        squashed = re.sub(r"[^a-z0-9]", "", tail_key)
        if head and squashed and any(n and (n in tail_key or re.sub(r"[^a-z0-9]", "", n) in squashed or squashed in re.sub(r"[^a-z0-9]", "", n)) for n in names if len(n) > 2):
            return head.strip()
    return title
