"""What the clusterer reads from one article: weighted terms, named entities and a date.

Everything here is cheap (regular expressions, no model) so assignment stays well under a
millisecond of feature work per article. When the understand stage has run, its entity
mentions replace the capitalised-phrase fallback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from crosscheck.model import Analysis, Article

# "U.S." and "United States" must meet as one token before splitting on punctuation.
_ALIAS = re.compile(r"\bU\.\s?([SKN])\.(?:\s?A\.)?|\bUSA\b|\bUnited (States|Kingdom|Nations)(?: of America)?\b")
_ALIAS_OF = {"S": "US", "K": "UK", "N": "UN", "States": "US", "Kingdom": "UK", "Nations": "UN"}
# Decimals stay whole: a 5.6 and a 6.1 quake on the same island are two events.
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z][A-Za-z0-9'’]*")
# A capitalised phrase: one or more capitalised words, optionally joined by "of"/"de" etc.
_CAPS = re.compile(r"\b[A-Z][A-Za-z'’.-]*[A-Za-z](?:\s+(?:of|de|del|la|van|von|al|bin)?\s*[A-Z][A-Za-z'’.-]*[A-Za-z])*")

STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any are
around as at away back be became because been before being below between both but by came can
cannot could did do does doing done down during each either else even ever every few for from
further get gets getting got had has have having he her here hers herself him himself his how
however i if in into is it its itself just last least less like made make many may me might
more most much must my myself near need never new news no nor not now of off often on once one
only or other others our ours ourselves out over own per put rather really said same say says
see seen she should since so some still such take than that the their theirs them themselves
then there these they this those though through thus to told too toward two under until up
upon us very via was way we well were what when where whether which while who whom whose why
will with within without would yet you your yours yourself yourselves
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks
year years day days time times according report reported reports reporting including
""".split()) - {"us"}  # "us" is the country once aliased; the pronoun rarely decides a story

# Capitalised words that open sentences or headlines without naming anything, and titles,
# which split a phrase: "U.S. President Trump" names the US and Trump, not "us president trump".
_CAPS_STOP = STOPWORDS | frozenset("""
mr mrs ms dr sir st related articles share sign thoughts statement original article
january february march april may june july august september october november december
president prime minister secretary chancellor king queen prince princess general gen gov
governor senator sen rep representative mayor chief ceo chairman director spokesman
spokeswoman minister's president's leader premier pope judge officer
""".split())


def stem(word: str) -> str:
    """A deliberately tiny suffix stripper: plural and verb -s/-ed/-ing forms meet their stem."""
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 6:
        return word[:-3]
    if word.endswith("ed") and len(word) > 5 and not word.endswith("eed"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _alias(text: str) -> str:
    if "U" not in text:
        return text
    return _ALIAS.sub(lambda m: _ALIAS_OF.get(m.group(1) or m.group(2), "US"), text)


_TOKEN_CACHE: dict[str, str] = {}  # raw word -> token ("" for dropped); words repeat a lot


def _token(raw: str) -> str:
    word = raw.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 2 or word in STOPWORDS:
        return ""
    return stem(word)


def tokens(text: str, aliased: bool = False) -> list[str]:
    """Lower-cased, stemmed content words (numbers kept: years and tolls tell events apart)."""
    cache = _TOKEN_CACHE
    if len(cache) > 500_000:
        cache.clear()
    out = []
    for raw in _WORD.findall(text if aliased else _alias(text)):
        tok = cache.get(raw)
        if tok is None:
            tok = cache[raw] = _token(raw)
        if tok:
            out.append(tok)
    return out


def entity_keys(name: str) -> list[str]:
    """Canonical keys for a name, shared by the spaCy and fallback paths.

    Titles and stopwords split the phrase; possessives go ("Trump's" is Trump).
    """
    text = re.sub(r"['’]s\b", "", _alias(name).lower())
    keys, current = [], []
    for word in re.split(r"[^a-z0-9]+", text):
        if not word:
            continue
        if word in _CAPS_STOP:
            if current:
                keys.append(" ".join(current))
            current = []
        else:
            current.append(word)
    if current:
        keys.append(" ".join(current))
    return keys


def capitalised_phrases(text: str, aliased: bool = False) -> list[str]:
    """Fallback named entities when no analysis is available: capitalised phrases.

    A lone capitalised word that opens a sentence is skipped: sentence-initial capitals carry
    no naming signal (the same name mid-sentence still counts).
    """
    if not aliased:
        text = _alias(text)
    found = []
    for match in _CAPS.finditer(text):
        phrase = match.group()
        if " " not in phrase:
            before = text[max(0, match.start() - 2):match.start()].rstrip()
            if not before or before[-1] in '.!?"“\n':
                continue  # a lone capitalised word opening a sentence
        keys = _KEY_CACHE.get(phrase)
        if keys is None:
            if len(_KEY_CACHE) > 200_000:
                _KEY_CACHE.clear()
            keys = _KEY_CACHE[phrase] = entity_keys(phrase)
        found.extend(keys)
    return found


_KEY_CACHE: dict[str, list[str]] = {}


def analysis_entities(analysis: Analysis) -> list[str]:
    keys = []
    for mention in analysis.mentions:
        if mention.label in ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT"):
            keys.extend(entity_keys(mention.entity_key.split(":", 1)[-1].replace("-", " ")
                                    if mention.entity_key else mention.text))
    return keys


@dataclass
class ArticleFeatures:
    """Sparse, L2-normalised vectors plus the date; the unit the clusterer compares."""

    terms: dict[str, float]
    entities: dict[str, float]
    published: datetime | None
    title: dict[str, float]  # the headline's own terms: headlines name the event most directly
    top_names: dict[str, float] = field(default_factory=dict)  # strongest names, shares summing to 1
    utc: datetime | None = None  # `published` as naive UTC, for cheap comparisons
    dense: list[float] | None = None  # unit sentence embedding, when an embedder is configured


def _normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _weigh(counts: dict[str, float], idf) -> dict[str, float]:
    # Sub-linear term frequency: a word said ten times is not ten times the evidence.
    return _normalise({t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items()})


def extract(article: Article, analysis: Analysis | None, idf, *, title_weight: float = 2.0,
            body_words: int = 400, use_analysis_entities: bool = True) -> ArticleFeatures:
    """Term and entity vectors for one article.

    The title counts `title_weight` times; only the first `body_words` words of the body are
    read (the lead carries the event, and long tails mostly add background and cost).
    """
    body = article.text
    if body_words and len(body) > body_words * 8:
        body = " ".join(body.split()[:body_words])
    title = _alias(article.title)
    body = _alias(body)
    counts: dict[str, float] = {}
    title_counts: dict[str, float] = {}
    for tok in tokens(title, aliased=True):
        counts[tok] = counts.get(tok, 0.0) + title_weight
        title_counts[tok] = title_counts.get(tok, 0.0) + 1.0
    for tok in tokens(body, aliased=True):
        counts[tok] = counts.get(tok, 0.0) + 1.0
    if use_analysis_entities and analysis is not None and analysis.mentions:
        names = analysis_entities(analysis)
    else:
        names = capitalised_phrases(title, aliased=True) * 2 + capitalised_phrases(body, aliased=True)
    ent_counts: dict[str, float] = {}
    for key in names:
        ent_counts[key] = ent_counts.get(key, 0.0) + 1.0
    return ArticleFeatures(terms=_weigh(counts, idf.term),
                           entities=_weigh(ent_counts, idf.entity),
                           published=article.published,
                           title=_weigh(title_counts, idf.term))
