"""Article body extraction from a parsed HTML tree.

First version: trafilatura's default extraction without comments. (Issue 7 replaces this
with a measured combination of extractors; `bench/extract.py` scores it.)
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement


@dataclass
class Body:
    paragraphs: list[str]
    method: str  # which extractor's output was kept (shown by `crosscheck extract`)


def extract_body(tree: HtmlElement, url: str | None = None) -> Body:
    text = trafilatura.extract(tree, url=url, include_comments=False, with_metadata=False) or ""
    return Body([p.strip() for p in text.split("\n") if p.strip()], "trafilatura")
