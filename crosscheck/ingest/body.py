"""Article body extraction: trafilatura's recall- and precision-oriented passes, merged.

Measured on the Article Extraction Benchmark dev half (bench/extract.py, bench/README-extract.md):

- trafilatura's default output keeps page furniture that its precision mode removes (teaser
  lists, newsletter boxes, "Sorry! There was an error processing your subscription"), but
- precision mode also cuts words *inside* paragraphs — an inline link is dropped with its
  text, so "La Canfora has reported that the NFL will fine Rudolph for his role" comes out
  as "…has reported that for his role" — and drops some long prose paragraphs.

So both passes run on the same parsed tree and are merged paragraph by paragraph, in the
recall pass's order and wording:

1. a recall-pass paragraph is kept when the precision pass kept most of it (at least
   `KEEP_SHARE` of its 4-word shingles): agreement of the two passes, with the full wording
   of the recall pass, which repairs the cut sentences;
2. a recall-pass paragraph the precision pass dropped is kept only when it is long prose
   (at least `RESCUE_WORDS` words): furniture is short, lost article paragraphs are not;
3. a first paragraph that repeats the headline is dropped (the title is stored apart);
4. when the merge leaves almost nothing (under `FALLBACK_MIN_WORDS`), readability-lxml —
   an independent algorithm — gets the page, and the longer of the two bodies is kept.

The two numbers were chosen on the dev half and are cross-validated on its two halves in
bench/README-extract.md (the choice is flat around them: nearby values score the same).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import html as lxml_html
from lxml.html import HtmlElement
from trafilatura import bare_extraction

KEEP_SHARE = 0.5
RESCUE_WORDS = 30
FALLBACK_MIN_WORDS = 40

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass
class Body:
    paragraphs: list[str]
    method: str  # which path produced the body (for debugging and the benchmark)


def _tokens(text: str) -> list[str]:
    # Lower-cased once for the whole text rather than word by word (the same tokens: no
    # character lower-cases to whitespace); the merge tokenises every paragraph twice.
    return " ".join(_WORD.findall(text)).lower().split()


def _shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    if len(tokens) < 4:
        return {tuple(tokens)}
    return set(zip(tokens, tokens[1:], tokens[2:], tokens[3:]))


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def merge_passes(
    recall: list[str], precision: list[str], keep_share: float = KEEP_SHARE, rescue_words: int = RESCUE_WORDS
) -> list[str]:
    """Paragraphs of the recall pass that the precision pass agrees with, or that are long prose."""
    precision_tokens = _tokens(" ".join(precision))
    precision_shingles = _shingles(precision_tokens)
    precision_flat = " " + " ".join(precision_tokens) + " "
    kept = []
    for paragraph in recall:
        tokens = _tokens(paragraph)
        if not tokens:
            continue
        if len(tokens) < 4:
            agreed = f" {' '.join(tokens)} " in precision_flat
        else:
            shingles = _shingles(tokens)
            agreed = len(shingles & precision_shingles) >= keep_share * len(shingles)
        if agreed or len(tokens) >= rescue_words:
            kept.append(paragraph)
    return kept


def drop_title_paragraph(paragraphs: list[str], titles: Iterable[str | None]) -> list[str]:
    """Without a first paragraph that only repeats the headline."""
    if not paragraphs:
        return paragraphs
    keys = {" ".join(_tokens(t)) for t in titles if t}
    keys.discard("")
    return paragraphs[1:] if " ".join(_tokens(paragraphs[0])) in keys else paragraphs


def _trafilatura_pass(tree: HtmlElement, url: str | None, favor_precision: bool) -> list[str]:
    document = bare_extraction(
        tree, url=url, fast=True, favor_precision=favor_precision, include_comments=False, with_metadata=False
    )
    return _paragraphs(document.text if document is not None else None)


def readability_paragraphs(tree: HtmlElement) -> list[str]:
    """readability-lxml's article, one paragraph per block element."""
    from readability import Document  # imported lazily: only the fallback needs it

    summary = Document(copy.deepcopy(tree), min_text_length=25).summary(html_partial=True)
    if not summary or not summary.strip():
        return []
    return html_block_paragraphs(lxml_html.fragment_fromstring(summary, create_parent="div"))


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "figcaption", "dd", "dt"}


def html_block_paragraphs(root: HtmlElement) -> list[str]:
    """Text of an HTML element as paragraphs: one per block element, <br> as a line break.

    Line breaks in the source are only layout: text nodes are collapsed to single spaces
    before the block boundaries are marked."""
    root = copy.deepcopy(root)
    for element in root.iter():
        if element.text:
            element.text = _SPACES.sub(" ", element.text)
        if element.tail:
            element.tail = _SPACES.sub(" ", element.tail)
    for element in root.iter():
        if element.tag == "br" or element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
    return [" ".join(line.split()) for line in root.text_content().split("\n") if line.strip()]


def trafilatura_passes(tree: HtmlElement, url: str | None = None) -> tuple[list[str], list[str]]:
    """(recall-pass paragraphs, precision-pass paragraphs) of one parsed page."""
    return _trafilatura_pass(tree, url, favor_precision=False), _trafilatura_pass(tree, url, favor_precision=True)


def combine_passes(
    recall: list[str],
    precision: list[str],
    titles: Iterable[str | None],
    fallback: Callable[[], list[str]],
    keep_share: float = KEEP_SHARE,
    rescue_words: int = RESCUE_WORDS,
) -> Body:
    """Merge the passes, drop the headline, and fall back to `fallback()` when too little is left."""
    titles = list(titles)
    paragraphs = drop_title_paragraph(merge_passes(recall, precision, keep_share, rescue_words), titles)
    method = "trafilatura recall+precision merge"
    if sum(len(p.split()) for p in paragraphs) < FALLBACK_MIN_WORDS:
        alternative = drop_title_paragraph(fallback(), titles)
        if sum(len(p.split()) for p in alternative) > sum(len(p.split()) for p in paragraphs):
            paragraphs, method = alternative, "readability-lxml (trafilatura found too little)"
    return Body(paragraphs, method)


def extract_body(tree: HtmlElement, url: str | None = None, titles: Iterable[str | None] = ()) -> Body:
    """The article body of a parsed page, as paragraphs (see the module docstring)."""
    recall, precision = trafilatura_passes(tree, url)
    return combine_passes(recall, precision, titles, lambda: readability_paragraphs(tree))
