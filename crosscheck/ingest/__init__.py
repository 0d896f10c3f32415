"""Stage 1 — ingest: turn files, folders, JSON/JSONL records, feeds and URLs into `Article`s.

Contract used by `pipeline.py`:

    read_articles(targets, fetch=None) -> Iterator[Article | IngestError]
        One item per article found; one IngestError per bad input (the batch goes on).
        `fetch(url) -> FetchResult` is injected for URLs / link-only feed entries; with
        fetch=None, URLs give an IngestError ("offline").
    content_hash(text) -> str, canonical_url(url) -> str
    NearDuplicateIndex: .add(article_id, signature), .query(signature) -> article_id | None
    signature(text) -> bytes   (MinHash, persisted by the store)
"""
