"""Inputs → Articles: files, folders, JSON/JSONL records, RSS/Atom feeds and URLs.

This module is ingestion's edge: it reads files and (through the injected `fetch`) pages.
Everything it finds is turned into an `Article` by the same few builders, so furniture and
provenance rules apply alike to every format. Bad inputs become one `IngestError` each and
the batch goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
from lxml import html as lxml_html

from crosscheck.ingest.body import drop_title_paragraph, html_block_paragraphs
from crosscheck.ingest.errors import IngestError
from crosscheck.ingest.extract import MAX_HTML_BYTES, gunzip_capped, attach_related_urls, detect_language, extract_page
from crosscheck.ingest.fetch import FetchError, FetchResult
from crosscheck.ingest.furniture import split_furniture, split_paragraphs
from crosscheck.ingest.identity import article_id, canonical_url, content_hash
from crosscheck.ingest.metadata import normalise_language, parse_datetime
from crosscheck.ingest.provenance import detect_provenance
from crosscheck.model import Article

Fetch = Callable[[str], FetchResult]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf"}
# Files that sit beside articles in a folder but are not articles.
SKIPPED_NAMES = {"license", "licence", "copying", "notice"}
MAX_FILE_BYTES = 200 * 1024 * 1024  # a JSONL dump may be large; an article file never is

# Field names used by common crawlers / dataset dumps (news-please, newspaper, Common Crawl
# news extracts, HF datasets), first match wins.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name", "article_title"),
    "text": ("text", "body", "content", "maintext", "article", "articleBody", "article_text", "full_text", "story"),
    "html": ("html", "raw_html", "content_html"),
    "url": ("url", "link", "canonical_url", "source_url", "uri", "article_url", "href"),
    "published": ("published", "publishedAt", "date_publish", "datePublished", "published_at", "publish_date", "pubDate", "date", "publication_date", "timestamp", "created_at"),
    "source": ("source", "source_domain", "site", "sitename", "site_name", "publisher", "outlet", "domain", "source_name"),
    "language": ("language", "lang", "inLanguage", "locale"),
    "author": ("author", "authors", "byline", "creator"),
    "description": ("description", "summary", "dek", "standfirst", "abstract"),
}
RECORD_LISTS = ("articles", "items", "records", "results", "data", "documents", "entries")
_TITLE_MAX_CHARS = 200


# ------------------------------------------------------------------ building articles


def looks_like_title(line: str) -> bool:
    """A headline: short, one sentence at most, not ending like a sentence."""
    line = line.strip()
    if not line or len(line) > _TITLE_MAX_CHARS or len(line.split()) > 30:
        return False
    if line.endswith((".", ",", ";")) and not line.endswith("..."):
        return False
    return len(re.findall(r"[.!?]\s+[A-Z]", line)) == 0


def _fallback_title(paragraphs: list[str]) -> str:
    """No headline given: the first sentence of the body, cut at a word boundary."""
    first = paragraphs[0] if paragraphs else ""
    sentence = re.split(r"(?<=[.!?])\s+", first, maxsplit=1)[0]
    if len(sentence) <= 120:
        return sentence.rstrip(".")
    return sentence[:120].rsplit(" ", 1)[0] + "…"


def build_article(
    paragraphs: list[str],
    *,
    input_name: str,
    title: str | None = None,
    url: str | None = None,
    published: Any = None,
    source: str | None = None,
    language: str | None = None,
    author: str | None = None,
    description: str | None = None,
) -> Article:
    """An Article from body paragraphs and whatever metadata the input gave."""
    split = split_furniture(drop_title_paragraph(paragraphs, [title]))
    text = split.body
    if not text.strip():
        raise IngestError(input_name, "no article text")
    canonical = canonical_url(url) if url else None
    text_hash = content_hash(text)
    language = normalise_language(language) or detect_language(text)
    title = " ".join((title or "").split()) or _fallback_title(split.paragraphs)
    return Article(
        id=article_id(canonical, text_hash),
        title=title,
        text=text,
        url=url,
        canonical_url=canonical,
        source=source or (urlsplit(canonical).hostname if canonical else None),
        author=author,
        published=parse_datetime(published),
        language=language,
        description=description or split.description,
        provenance=detect_provenance(text, split.notices, title=title, url=canonical, language=language),
        related=split.related,
        input_name=input_name,
        content_hash=text_hash,
    )


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<head>.*?)\n---[ \t]*\n", re.DOTALL)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Markdown front matter (`---` / `key: value` lines / `---`) and the text after it.

    Only flat `key: value` pairs are read: that is what static-site generators write for
    title, date, author, source and url."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group("head").splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def article_from_text(text: str, input_name: str, *, markdown: bool = False) -> Article:
    """Plain text or Markdown: the first line is the title when it looks like one.

    Markdown front matter gives the record fields (title, date, author, url, source…)."""
    fields: dict[str, str] = {}
    if markdown:
        fields, text = _front_matter(text)
    paragraphs = split_paragraphs(text)
    if markdown:
        paragraphs = [_strip_markdown(p) for p in paragraphs]
        paragraphs = [p for p in paragraphs if p]
    title = _as_text(_field(fields, "title")) if fields else None
    if title is None and len(paragraphs) > 1 and looks_like_title(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return build_article(
        paragraphs,
        input_name=input_name,
        title=title,
        url=_as_text(_field(fields, "url")),
        published=_field(fields, "published"),
        source=_as_text(_field(fields, "source")),
        language=_as_text(_field(fields, "language")),
        author=_as_text(_field(fields, "author")),
        description=_as_text(_field(fields, "description")),
    )


_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def _strip_markdown(paragraph: str) -> str:
    paragraph = _MD_HEADING.sub("", paragraph)
    if re.fullmatch(r"[-*_=\s]{3,}", paragraph):  # horizontal rule / setext underline
        return ""
    paragraph = _MD_LINK.sub(r"\1", paragraph)
    return _MD_EMPHASIS.sub(r"\2", paragraph).strip()


def _field(record: dict[str, Any], key: str) -> Any:
    for name in RECORD_FIELDS[key]:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        names = [_as_text(v) for v in value]
        return "; ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title") or value.get("url"))
    return str(value).strip() or None


def article_from_record(record: Any, input_name: str, fetch: Fetch | None = None) -> Article:
    """One JSON record (`title`, `text`, `url`, `published`, `source`, `language`, `author`)."""
    if not isinstance(record, dict):
        raise IngestError(input_name, f"record is a JSON {type(record).__name__}, not an object")
    text = _field(record, "text")
    url = _as_text(_field(record, "url"))
    if not isinstance(text, str) or not text.strip():
        page_html = _field(record, "html")
        if isinstance(page_html, str) and page_html.strip():
            article = extract_page(page_html, url=url, input_name=input_name)
            return _override(article, record)
        raise IngestError(input_name, "record has no text field (text/body/content/…)")
    return build_article(
        split_paragraphs(text),
        input_name=input_name,
        title=_as_text(_field(record, "title")),
        url=url,
        published=_field(record, "published"),
        source=_as_text(_field(record, "source")),
        language=_as_text(_field(record, "language")),
        author=_as_text(_field(record, "author")),
        description=_as_text(_field(record, "description")),
    )


def _override(article: Article, record: dict[str, Any]) -> Article:
    """Fields a record states explicitly win over what was extracted from its HTML."""
    article.title = _as_text(_field(record, "title")) or article.title
    article.source = _as_text(_field(record, "source")) or article.source
    article.author = _as_text(_field(record, "author")) or article.author
    article.published = parse_datetime(_field(record, "published")) or article.published
    article.language = normalise_language(_as_text(_field(record, "language"))) or article.language
    return article


# ------------------------------------------------------------------ feeds


def _fragment_paragraphs(fragment: str, root: Any = None) -> list[str]:
    """Paragraphs of an HTML fragment (feed content): one per block element."""
    if root is None:  # not parseable as HTML: read it as text without the tags
        return split_paragraphs(re.sub(r"<[^>]+>", " ", fragment))
    return html_block_paragraphs(root)


def _parse_fragment(fragment: str) -> Any:
    try:
        return lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 — lxml raises several types; read it as plain text then
        return None


FULL_CONTENT_MIN_WORDS = 80  # below this an entry's content is a teaser: fetch the page


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return bool(re.search(rb"<(rss|feed|rdf:rdf)\b", head))


def articles_from_feed(data: bytes, input_name: str, fetch: Fetch | None) -> Iterator[Article | IngestError]:
    """RSS/Atom: entries with full content become articles; link-only entries are fetched."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        yield IngestError(input_name, f"malformed feed ({reason})" if reason else "malformed feed")
        return
    if not parsed.entries:
        yield IngestError(input_name, "feed has no entries")
        return
    feed_title = parsed.feed.get("title")
    feed_language = parsed.feed.get("language")
    for number, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        entry_name = f"{input_name}#{link or number}"
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        content = max(contents, key=len) if contents else entry.get("summary", "")
        root = _parse_fragment(content) if content else None
        paragraphs = _fragment_paragraphs(content, root) if content else []
        published = entry.get("published") or entry.get("updated")
        author = entry.get("author")
        if sum(len(p.split()) for p in paragraphs) >= FULL_CONTENT_MIN_WORDS:
            try:
                article = build_article(
                    paragraphs,
                    input_name=entry_name,
                    title=entry.get("title"),
                    url=link,
                    published=published,
                    source=feed_title,
                    language=entry.get("language") or feed_language,
                    author=author,
                    description=entry.get("summary") if contents else None,
                )
            except IngestError as error:
                yield error
                continue
            if root is not None:
                attach_related_urls(article.related, root, link)
            yield article
            continue
        if not link:
            yield IngestError(entry_name, "feed entry has neither full content nor a link")
            continue
        if fetch is None:
            yield IngestError(entry_name, "link-only feed entry and fetching is off (offline)")
            continue
        try:
            article = _article_from_url(link, fetch, entry_name)
        except IngestError as error:
            yield error
            continue
        article.title = article.title or entry.get("title")
        article.published = article.published or parse_datetime(published)
        article.author = article.author or author
        yield article


# ------------------------------------------------------------------ files, URLs, dispatch


def _article_from_url(url: str, fetch: Fetch, input_name: str) -> Article:
    try:
        result = fetch(url)
    except FetchError as error:
        raise IngestError(input_name, f"fetch failed: {error}") from None
    except Exception as error:  # noqa: BLE001 — any failure of an injected fetcher is one bad input
        raise IngestError(input_name, f"fetch failed: {type(error).__name__}: {error}") from None
    if result.status >= 400:
        raise IngestError(input_name, f"fetch failed: HTTP {result.status}")
    return extract_page(result.content, url=result.final_url or url, input_name=input_name)


def _read_url(url: str, fetch: Fetch | None) -> Iterator[Article | IngestError]:
    if fetch is None:
        yield IngestError(url, "URL given but fetching is off (offline)")
        return
    try:
        result = fetch(url)
    except Exception as error:  # noqa: BLE001 — FetchError or anything an injected fetcher raises
        yield IngestError(url, f"fetch failed: {error}")
        return
    if result.status >= 400:
        yield IngestError(url, f"fetch failed: HTTP {result.status}")
        return
    content_type = (result.content_type or "").lower()
    if any(t in content_type for t in ("rss", "atom")) or looks_like_feed(result.content):
        yield from articles_from_feed(result.content, url, fetch)
        return
    try:
        yield extract_page(result.content, url=result.final_url or url, input_name=url)
    except IngestError as error:
        yield error


def _is_binary(data: bytes) -> bool:
    """Binary data (an image, an archive…), not text: NUL bytes, or bytes no text encoding explains."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4:  # a multi-byte character cut at the 8 KB boundary
            return False
    from charset_normalizer import from_bytes  # trafilatura's own dependency

    return from_bytes(head).best() is None


def _decode_text(data: bytes, input_name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise IngestError(input_name, "not a text file (unknown encoding)") from None
        return str(best)


def _read_records(data: bytes, name: str, fetch: Fetch | None, lines: bool) -> Iterator[Article | IngestError]:
    text = _decode_text(data, name)
    if lines:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            line_name = f"{name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield IngestError(line_name, f"malformed JSON line ({error.msg} at column {error.colno})")
                continue
            try:
                yield article_from_record(record, line_name, fetch)
            except IngestError as error:
                yield error
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield IngestError(name, f"malformed JSON ({error.msg} at line {error.lineno} column {error.colno})")
        return
    # API dumps wrap the list: {"status": "ok", "articles": [...]} (NewsAPI), {"items": [...]}.
    if isinstance(document, dict):
        wrapped = next(
            (document[k] for k in RECORD_LISTS if isinstance(document.get(k), list) and "text" not in document), None
        )
        document = wrapped if wrapped is not None else document
    records = document if isinstance(document, list) else [document]
    for index, record in enumerate(records):
        record_name = f"{name}[{index}]" if isinstance(document, list) else name
        try:
            yield article_from_record(record, record_name, fetch)
        except IngestError as error:
            yield error


def read_file(path: Path, fetch: Fetch | None = None) -> Iterator[Article | IngestError]:
    """Every article in one file (one for text/HTML, several for JSON/JSONL/feeds)."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield IngestError(name, f"file is over {MAX_FILE_BYTES // (1024 * 1024)} MB; skipped")
            return
        data = path.read_bytes()
    except OSError as error:
        yield IngestError(name, f"unreadable file ({error.strerror or error})")
        return
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        try:
            data = gunzip_capped(data, MAX_HTML_BYTES, name)
        except IngestError as error:
            yield error
            return
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if not data.strip():
        yield IngestError(name, "empty file")
        return
    if _is_binary(data):
        yield IngestError(name, "binary file, not an article")
        return
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in JSONL_SUFFIXES:
        yield from _read_records(data, name, fetch, lines=True)
    elif suffix in JSON_SUFFIXES or (suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and head[:1] in (b"{", b"[")):
        yield from _read_records(data, name, fetch, lines=False)
    elif suffix in FEED_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_feed(data)):
        yield from articles_from_feed(data, name, fetch)
    elif suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and head[:1] == b"<"):
        try:
            yield extract_page(data, input_name=name)
        except IngestError as error:
            yield error
    else:
        try:
            yield article_from_text(_decode_text(data, name), name, markdown=suffix in {".md", ".markdown"})
        except IngestError as error:
            yield error


def _folder_files(folder: Path) -> Iterator[Path]:
    """Files under `folder`, recursively, in a stable order; hidden files and licences skipped."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.stem.lower() not in SKIPPED_NAMES:
            yield path


def read_articles(targets: Iterable[str], fetch: Fetch | None = None) -> Iterator[Article | IngestError]:
    """One Article per article found and one IngestError per bad input, in input order.

    Targets: file paths, folders (recursive), http(s) URLs, feed files or feed URLs. With
    `fetch=None` nothing is fetched: URLs and link-only feed entries give an IngestError.
    """
    for target in targets:
        target = str(target)
        if re.match(r"^https?://", target, re.I):
            yield from _read_url(target, fetch)
            continue
        path = Path(target)
        if path.is_dir():
            for file in _folder_files(path):
                yield from read_file(file, fetch)
        elif path.exists():
            yield from read_file(path, fetch)
        else:
            yield IngestError(target, "no such file or folder")
