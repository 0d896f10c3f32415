"""Sentence splitting with character offsets, no model needed."""

import re

from crosscheck.model import Sentence

# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before whitespace
# and an upper-case letter, digit or quote — or at a paragraph break. Abbreviations such as
# "U.S." and "Mr." must not end a sentence.
_ABBREVIATIONS = {"u.s", "u.k", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep",
                  "gov", "lt", "col", "inc", "corp", "co", "ltd", "no", "vs", "e.g", "i.e", "jan",
                  "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "u.n", "a.m", "p.m"}
_BOUNDARY = re.compile(r"""[.!?]["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n""")


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        chunk = text[start:match.start() + 1].rstrip()
        last_word = re.search(r"([A-Za-z.]+)\.$", chunk)
        if last_word and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS and "\n" not in match.group():
            continue
        _append(sentences, article_id, text, start, end)
        start = end
    _append(sentences, article_id, text, start, len(text))
    return sentences


def _append(out: list[Sentence], article_id: str, text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    s = start + (len(piece) - len(piece.lstrip()))
    e = s + len(stripped)
    out.append(Sentence(article_id=article_id, index=len(out), start=s, end=e, text=stripped))
