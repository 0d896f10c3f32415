"""Part of speech and lemma for the parse pass, without spaCy's attribute ruler and lemmatizer.

Those two components cost about a third of the parse pass (a Matcher run per sentence) and
claim extraction needs only coarse parts of speech and the lemmas of its own cue words, so
both are derived here: the coarse POS from the tagger's Penn Treebank tag, the lemma from a
table of the inflections of the cue words (other words keep their lower-case form).
"""

from __future__ import annotations

_AUX_WORDS = {"be", "am", "is", "are", "was", "were", "been", "being", "have", "has", "had",
              "having", "do", "does", "did", "will", "would", "shall", "should", "can", "could",
              "may", "might", "must", "'s", "'re", "'ve", "'d", "'ll", "'m", "wo", "ca"}
_TAG_TO_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON",
    "WP": "PRON", "WP$": "PRON", "EX": "PRON", "DT": "DET", "PDT": "DET", "WDT": "DET",
    "IN": "ADP", "RP": "ADP", "TO": "PART", "POS": "PART", "CD": "NUM", "JJ": "ADJ", "JJR": "ADJ",
    "JJS": "ADJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV", "CC": "CCONJ", "MD": "AUX",
    "UH": "INTJ",
}
_IRREGULAR = {
    "met": "meet", "shot": "shoot", "won": "win", "bought": "buy", "sat": "sit", "spoke": "speak",
    "spoken": "speak", "told": "tell", "said": "say", "went": "go", "gone": "go", "took": "take",
    "taken": "take", "made": "make", "held": "hold", "began": "begin", "begun": "begin",
    "sought": "seek", "fought": "fight", "struck": "strike", "stricken": "strike", "died": "die",
    "dies": "die", "dying": "die", "had": "have", "has": "have", "did": "do", "does": "do",
    "done": "do", "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "am": "be",
    "paid": "pay", "led": "lead", "sent": "send", "brought": "bring", "fled": "flee",
    "talks": "talk", "strove": "strive", "striven": "strive", "striving": "strive",
    "arrived": "arrive", "sentenced": "sentence", "deaths": "death", "proposals": "proposal",
}


def _forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "ing", lemma + "es"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # plan → planned
    return forms


def build_lemma_table(lemmas) -> dict[str, str]:
    table: dict[str, str] = {}
    for lemma in sorted(lemmas):
        for form in _forms(lemma):
            table.setdefault(form, lemma)
    table.update(_IRREGULAR)
    return table


_TABLE: dict[str, str] = {}


def register_lemmas(lemmas) -> None:
    _TABLE.update(build_lemma_table(lemmas))


def forms_of(lemmas) -> set[str]:
    """Every inflected form the table knows for `lemmas` (lower case)."""
    wanted = set(lemmas)
    return {form for form, lemma in _TABLE.items() if lemma in wanted} | wanted


def lemma(tok) -> str:
    low = tok.lower_
    return _TABLE.get(low, low)


def pos(tok) -> str:
    tag = tok.tag_
    if tag.startswith("VB"):
        if tok.lower_ in _AUX_WORDS and (tok.dep_ in ("aux", "auxpass") or any(
                c.dep_ in ("acomp", "attr") for c in tok.children) or tok.lower_ in ("is", "was", "'s")):
            return "AUX"
        return "VERB"
    return _TAG_TO_POS.get(tag, "X")
