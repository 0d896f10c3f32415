"""Stable identity for articles: canonical URLs, content hashes and the ids derived from them."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from courlan import normalize_url

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def normalise_text(text: str) -> str:
    """Text as compared for identity: Unicode NFKC, case-folded, whitespace collapsed."""
    # split()/join: the same collapsing as re's \s+ (both use Unicode's whitespace), ~3x faster.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: the same words with other spacing/case hash alike."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """One spelling per page: scheme added when missing, host lower-cased, tracking
    parameters, fragments and default ports removed (courlan's strict normalisation)."""
    url = url.strip()
    if not _SCHEME.match(url):
        url = "https://" + url.lstrip("/")
    try:
        normalised = normalize_url(url, strict=True)
    except (ValueError, TypeError):
        return url
    # "https://x.org/a/" and "https://x.org/a" are the same page on news sites.
    if normalised.endswith("/") and normalised.count("/") > 3:
        normalised = normalised.rstrip("/")
    return normalised


def article_id(canonical: str | None, text_hash: str) -> str:
    """Stable id: from the canonical URL when there is one, else from the content hash."""
    if canonical:
        return "u" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]
    return "h" + text_hash[:20]
