"""Stage 1 — ingest: turn files, folders, JSON/JSONL records, feeds and URLs into `Article`s.

Contract used by `pipeline.py`:

    read_articles(targets, fetch=None) -> Iterator[Article | IngestError]
        One item per article found; one IngestError per bad input (the batch goes on).
        `fetch(url) -> FetchResult` is injected for URLs / link-only feed entries; with
        fetch=None, URLs give an IngestError ("offline"). `http_fetch` is the default
        fetcher (httpx, clear User-Agent, timeouts, 20 MB body cap).
    extract_page(html, url=None, input_name="") -> Article   (raises IngestError)
        The one HTML code path, used by read_articles and by `crosscheck extract`.
    content_hash(text) -> str, canonical_url(url) -> str, article_id(canonical, hash) -> str
    NearDuplicateIndex: .add(article_id, signature), .query(signature) -> article_id | None
    signature(text) -> bytes   (MinHash, persisted by the store)

`str(IngestError)` is the line the CLI prints: "error: <input>: <reason>".
"""

from crosscheck.ingest.dedup import NearDuplicateIndex, signature, similarity
from crosscheck.ingest.errors import IngestError
from crosscheck.ingest.extract import extract_page
from crosscheck.ingest.fetch import FetchError, FetchResult, http_fetch
from crosscheck.ingest.identity import article_id, canonical_url, content_hash
from crosscheck.ingest.sources import read_articles

__all__ = [
    "FetchError",
    "FetchResult",
    "IngestError",
    "NearDuplicateIndex",
    "article_id",
    "canonical_url",
    "content_hash",
    "extract_page",
    "http_fetch",
    "read_articles",
    "signature",
    "similarity",
]
