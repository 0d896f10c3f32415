"""One HTML page → one `Article`: the single code path for HTML in `read_articles` and in
`crosscheck extract`.

Guarded: input that is not HTML, too large, or takes too long gives one `IngestError`.
"""

from __future__ import annotations

import re
import signal
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

import htmldate
import py3langid
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement
from trafilatura.metadata import extract_author, extract_sitename, extract_title
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, decode_file, is_dubious_html

from crosscheck.ingest.body import extract_body
from crosscheck.ingest.errors import IngestError
from crosscheck.ingest.furniture import is_related_heading, split_furniture
from crosscheck.ingest.identity import article_id, canonical_url, content_hash
from crosscheck.ingest.metadata import parse_datetime, read_page_metadata, strip_site_suffix
from crosscheck.ingest.provenance import detect_provenance
from crosscheck.model import Article, RelatedLink

# Far above any real article page (the 91 benchmark pages are all under 1.5 MB) and below the
# size at which parsing alone would eat the time budget.
MAX_HTML_BYTES = 20 * 1024 * 1024
# The promise is "never more than 10 s a page": the alarm fires earlier because a long C call
# (an lxml XPath over a huge tree) only notices it when it returns.
PAGE_TIME_BUDGET_S = 8.0
# Real article pages have a few thousand elements (the 91 benchmark pages: at most ~1,600);
# trafilatura's passes grow faster than linearly beyond that, so far larger trees are refused.
MAX_ELEMENTS = 60_000
_HTML_TAG = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|h[1-6]|main|table|a)\b", re.I)


class _OutOfTime(BaseException):
    """BaseException, so third-party `except Exception:` blocks cannot swallow the alarm."""


@contextmanager
def time_budget(seconds: float, input_name: str) -> Iterator[None]:
    """Abort the enclosed work after `seconds` with an IngestError.

    Uses SIGALRM, so it only applies in the main thread on POSIX; elsewhere the size cap is
    the guard.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001 — signal handler signature
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Re-armed every 0.25 s after the first alarm, in case a library catches BaseException once.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    except _OutOfTime:
        raise IngestError(input_name, f"extraction took longer than {seconds:g} s; page skipped") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: the previous handler was not set from Python; the default is the closest.
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def gunzip_capped(data: bytes, limit: int, input_name: str) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise IngestError(input_name, f"corrupt gzip data ({exc})") from None
    if len(out) > limit:
        raise IngestError(input_name, f"page is larger than {limit // (1024 * 1024)} MB uncompressed; skipped")
    return out


def check_html(data: str | bytes, input_name: str) -> str | bytes:
    """The page to parse, or an IngestError saying why it is not an HTML page we can read.

    A str page that is valid Unicode comes back as it is: trafilatura's `load_html` would only
    decode the bytes back to the same str (a page of ~200 kB costs ~0.15 ms to re-encode and
    decode). Bytes, gzip data and text with lone surrogates come back as bytes."""
    as_given: str | None = None
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
            as_given = data
        except UnicodeEncodeError:  # lone surrogates: bytes, decoded by load_html's guessing
            raw = data.encode("utf-8", "surrogatepass")
    else:
        raw = bytes(data)
    if raw[:2] == b"\x1f\x8b":
        as_given = None
        raw = gunzip_capped(raw, MAX_HTML_BYTES, input_name)
    if len(raw) > MAX_HTML_BYTES:
        raise IngestError(
            input_name, f"page is {len(raw) / 1024 / 1024:.0f} MB, over the {MAX_HTML_BYTES // (1024 * 1024)} MB limit; skipped"
        )
    if not raw or raw.isspace():  # as `not raw.strip()`, without copying the page
        raise IngestError(input_name, "empty page")
    head = raw[:65536]
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(input_name, "binary data, not an HTML page")
    if re.search(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", head[:2048], re.S | re.I):
        raise IngestError(input_name, "an RSS/Atom feed, not an HTML page (ingest it as a feed)")
    if not _HTML_TAG.search(head.replace(b"\x00", b"")):
        raise IngestError(input_name, "not HTML (no HTML tags found)")
    return as_given if as_given is not None else raw


# py3langid's cost grows with the text; the first paragraphs name the language as well as the
# whole article does (on the 91 benchmark bodies and the seeds a 500-character prefix already
# gives the same answer as 5,000 characters), at a third of the cost of 5,000.
LANGUAGE_SAMPLE_CHARS = 1500


def detect_language(text: str) -> str | None:
    """Language of the body text (py3langid ships its model: nothing is downloaded)."""
    if len(text) < 20:
        return None
    language, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return language


# trafilatura's parser settings, with element classes looked up in C. lxml.html's default lookup
# is a Python method run for every element object lxml creates, and the passes, copies and XPaths
# of one page create thousands (~5% of the time of a page). All elements are plain `HtmlElement`s
# (only lxml.html's form-field classes, which nothing here uses, are lost). One per thread, as
# lxml asks for parsers.
_PARSERS = threading.local()


def _html_parser() -> lxml_html.HTMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml_html.HTMLParser(
            collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
        )
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml_html.HtmlElement,
                comment=lxml_html.HtmlComment,
                pi=lxml_html.HtmlProcessingInstruction,
                entity=lxml_html.HtmlEntity,
            )
        )
        _PARSERS.parser = parser
    return parser


# The characters INVALID_XML_CHARS removes, as UTF-8: each control character is one byte that
# occurs in no other character's encoding, U+FFFE/U+FFFF are EF BF BE/BF.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def repair_html(text: str, beginning: str) -> str:
    """`trafilatura.utils.repair_faulty_html`, step for step, except that its regex pass over
    the whole page to delete control characters only runs on pages that have one: telling is
    ~10x faster than the regex scan (~0.5 ms of a 200 kB page), and almost no page has one."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        text = INVALID_XML_CHARS.sub("", text)
    # libxml2/LXML issue: https://bugs.launchpad.net/lxml/+bug/1955915
    if "doctype" in beginning:
        firstline, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    # self-closing <html/> in the first lines
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            text = FAULTY_HTML.sub(r"\1>", text, count=1)
            break
    return text


def parse_html(page: str | bytes) -> HtmlElement | None:
    """The page's tree as `trafilatura.utils.load_html` builds it (same decoding, repairs and
    checks, step for step), parsed with `_html_parser()`. None when it is not HTML."""
    text = decode_file(page)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_html(text, beginning)
    parser = _html_parser()

    def from_bytes() -> HtmlElement | None:
        try:
            return lxml_html.fromstring(text.encode("utf8", "surrogatepass"), parser=parser)
        except Exception:  # noqa: BLE001 — as load_html: no tree rather than an error
            return None

    tried_bytes = False
    try:
        tree = lxml_html.fromstring(text, parser=parser)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, tried_bytes = from_bytes(), True
    except Exception:  # noqa: BLE001 — as load_html
        tree = None
    if (tree is None or len(tree) < 1) and not tried_bytes:
        tree = from_bytes()
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


MIN_BODY_WORDS = 20  # less than this is a page's leftovers (a truncated page, a cookie wall)


def anchor_index(root: HtmlElement, base: str | None) -> dict[str, str]:
    """{normalised link text: absolute href} for the links of a page or fragment."""
    anchors: dict[str, str] = {}
    for anchor in root.iter("a"):
        href = anchor.get("href")
        text = " ".join(anchor.text_content().split())
        if href and text and not href.startswith(("#", "javascript:")):
            anchors.setdefault(text.casefold(), urljoin(base, href) if base else href)
    return anchors


def link_teasers(related: list[RelatedLink], anchors: dict[str, str]) -> None:
    """Give each teaser the link the page wraps it in (or a link whose text contains it)."""
    for link in related:
        key = " ".join(link.text.split()).casefold()
        link.url = anchors.get(key) or next(
            (u for t, u in anchors.items() if len(t) > 15 and (t in key or key in t)), None
        )


MAX_RAIL_LINKS = 12
_RELATED_MARKED = etree.XPath('//@class[contains(., "elated")]/.. | //@id[contains(., "elated")]/..')
_RAIL_TAGS = {"section", "div", "aside", "ul", "ol", "nav", "footer"}


def _rail_containers(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements marked "related" by class or id, and the parents of "Related …" headings."""
    # contains() without translate(): "elated" matches Related/related at C speed; testing the
    # attribute nodes and stepping up to their elements skips the elements without a class or
    # id (2-3x faster than a predicate on every element; the union keeps document order).
    for element in _RELATED_MARKED(tree):
        marker = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if element.tag in _RAIL_TAGS and "related" in marker and "unrelated" not in marker:
            yield element
    for heading in tree.xpath("//h2 | //h3 | //h4"):
        parent = heading.getparent()
        if parent is not None and parent.tag in _RAIL_TAGS and is_related_heading(" ".join(heading.text_content().split())):
            yield parent


def related_rail_links(tree: HtmlElement, base: str | None, own_url: str | None) -> list[RelatedLink]:
    """Teasers in the page's "related" rails: links to other stories, which extractors drop
    together with the rail."""
    links: list[RelatedLink] = []
    seen: set[str] = {own_url} if own_url else set()
    for container in _rail_containers(tree):
        for anchor in container.iter("a"):
            text = " ".join(anchor.text_content().split())
            href = anchor.get("href")
            if not href or len(text.split()) < 4 or href.startswith(("#", "javascript:")):
                continue
            url = canonical_url(urljoin(base, href)) if base else href
            if url not in seen:
                seen.add(url)
                links.append(RelatedLink(text=text, url=url))
            if len(links) >= MAX_RAIL_LINKS:
                return links
    return links


def attach_related_urls(related: list[RelatedLink], root: HtmlElement, base: str | None) -> None:
    if related:
        link_teasers(related, anchor_index(root, base))


# Elements trafilatura discards anyway (its MANUALLY_CLEANED list), removed once before its two
# passes instead of in each pass's copy: same body, less work. Everything that reads them
# (metadata, JSON-LD, the links of related rails) runs before.
_DISCARDED_TAGS = (
    "style", "svg", "noscript", "nav", "footer", "aside", "iframe", "button", "input", "select",
    "option", "textarea", "video", "audio", "canvas", "object", "embed", "link", "meta",
)


_KEPT_SCRIPT = "crosscheck-kept-script"


def strip_discarded(tree: HtmlElement) -> None:
    # JSON-LD stays (trafilatura's rescue reads articleBody from it): renamed for the moment so
    # that the other scripts go in the same C pass as the discarded tags, without a Python call
    # per script.
    kept = [script for script in tree.iter("script") if "ld+json" in (script.get("type") or "")]
    for script in kept:
        script.tag = _KEPT_SCRIPT
    etree.strip_elements(tree, etree.Comment, "script", *_DISCARDED_TAGS, with_tail=False)
    for script in kept:
        script.tag = "script"


def _quietly(function, *args, **kwargs):
    """A metadata heuristic's answer, or None when it fails on an odd page (never fatal)."""
    try:
        return function(*args, **kwargs) or None
    except Exception:  # noqa: BLE001 — third-party heuristics raise all sorts on broken pages
        return None


def extract_page(html: str | bytes, url: str | None = None, input_name: str = "") -> Article:
    """Extract one page's article: body, metadata and provenance. Raises IngestError."""
    name = input_name or url or "<html>"
    page_source = check_html(html, name)
    with time_budget(PAGE_TIME_BUDGET_S, name):
        try:
            tree = parse_html(page_source)
        except Exception as exc:  # lxml raises several types on broken documents
            raise IngestError(name, f"unparseable HTML ({type(exc).__name__})") from None
        if tree is None:
            raise IngestError(name, "unparseable HTML: no document tree")
        elements = int(tree.xpath("count(//*)"))
        if elements > MAX_ELEMENTS:
            raise IngestError(name, f"page has {elements} HTML elements, over the {MAX_ELEMENTS} limit; skipped")
        # Metadata first, from the whole page: structured data, then trafilatura's and
        # htmldate's heuristics only for what it lacks (they cost more than all the rest).
        page = read_page_metadata(tree)
        page_url = page.canonical or url
        page_url = urljoin(url, page_url) if url and page_url else page_url
        canonical = canonical_url(page_url) if page_url else None
        hostname = urlsplit(canonical).hostname if canonical else None
        h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")][:3]
        fallback_title = _quietly(extract_title, tree)
        site = page.site_name or _quietly(extract_sitename, tree) or hostname
        published = page.published or parse_datetime(
            _quietly(htmldate.find_date, tree, url=canonical or url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
        )
        rail_links = related_rail_links(tree, url or canonical, canonical)  # rails are stripped next
        # Then the body, from the page without what no extractor keeps.
        strip_discarded(tree)
        # Bylines live in the article, not in the stripped rails: the smaller tree is searched
        # faster and gives the same answer on every benchmark page.
        author = "; ".join(page.authors) if page.authors else _quietly(extract_author, tree)
        body = extract_body(tree, url, titles=[page.title, fallback_title, *h1])
        split = split_furniture(body.paragraphs)
        text = split.body
        if len(text.split()) < MIN_BODY_WORDS:
            raise IngestError(name, "no article text found (empty or truncated page)")
        title = strip_site_suffix(page.title or fallback_title or split.paragraphs[0][:120], site, hostname)
        language = page.language or detect_language(text)
        # Teasers found in the body text link to anchors of the body, which stripping kept.
        attach_related_urls(split.related, tree, url or canonical)
        known = {link.text.casefold() for link in split.related}
        split.related += [link for link in rail_links if link.text.casefold() not in known]
    text_hash = content_hash(text)
    return Article(
        id=article_id(canonical, text_hash),
        title=title,
        text=text,
        url=url or canonical,
        canonical_url=canonical,
        source=site,
        author=author,
        published=published,
        language=language,
        description=page.description or split.description,
        provenance=detect_provenance(
            text,
            split.notices,
            title=title,
            url=canonical or url,
            schema_types=page.schema_types,
            section=page.section,
            language=language,
        ),
        related=split.related,
        input_name=name,
        content_hash=text_hash,
    )
