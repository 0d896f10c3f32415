"""Rule- and parse-based claim extraction: who does what, to whom / where, when, how much,
and who says so — one small record per event word in a sentence.

An event word ("visit", "summit", "phone call", "awarded", "killed", …) is found on the
dependency parse; its actors come from the grammatical subject (climbing through "plans to",
"agreed in a call", "push for a meeting"), a possessor ("Trump's visit") or a "by" phrase; its
targets from "with"/objects, its places from "to/in/at"; its time is the closest temporal
expression inside its own phrase or its governing clause. Pronouns ("her summit") and unnamed
role references ("the Japanese leader") resolve to people the article has already named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from crosscheck.model import Claim, Evidence, Mention, Quantity, Role, Sentence, TimeExpression
from crosscheck.understand.gazetteer import country_key, country_of
from crosscheck.understand.morph import lemma as _lemma
from crosscheck.understand.morph import pos as _pos
from crosscheck.understand.morph import forms_of, register_lemmas
from crosscheck.understand.roles import Descriptor, holder_for

# lemma → action; POS restrictions are applied in _action_of.
_VISIT = {"visit", "trip", "travel", "tour", "journey"}
_MEETING = {"meet", "meeting", "summit", "talk", "negotiate", "negotiation", "confer"}
_CALL = {"call", "phone", "telephone", "phonecall"}
_REPORT = {"report", "announce", "reveal", "disclose", "confirm"}
_CONTRACT_VERBS = {"award", "sign", "win", "grant"}
_CONTRACT_NOUNS = {"contract", "deal"}
_ATTACK = {"attack", "kill", "injure", "wound", "bomb", "bombing", "shoot", "shooting", "stab",
           "stabbing", "murder", "massacre", "raid", "airstrike", "explosion", "assault", "gun"}
_PLAN = {"plan", "intend", "propose", "proposal", "aim", "schedule"}
_OTHER = {"arrest", "capture", "charge", "appoint", "hire", "resign", "die", "death", "earthquake",
          "quake", "tremor", "acquire", "acquisition", "buy", "fire", "sack", "release", "launch",
          "sentence", "convict", "conviction", "nominate", "nomination", "sign", "win", "beat", "defeat"}
_OFFERS = {"offer", "bid"}  # a contract claim when the sentence names an amount of money
# Incidents are claims even when nobody is named as doing them ("a bomb exploded").
_ACTORLESS_OK = {"attack", "other"}
# Words that make an event planned rather than done.
_PLANNING_WORDS = {"plan", "planned", "intend", "aim", "expect", "expected", "schedule", "scheduled",
                   "hope", "want", "seek", "strive", "push", "propose", "proposal", "proposed",
                   "potential", "possible", "upcoming", "future", "prepare", "consider", "arrange",
                   "prefer", "will", "would", "could", "may", "might", "likely", "try", "attempt"}
_PERSON_PRONOUNS = {"he", "she", "his", "her", "him", "hers"}
_LIGHT_VERBS = {"hold", "have", "achieve", "arrange", "make", "pay", "conduct", "host", "attend",
                "begin", "start", "plan", "agree", "push", "seek", "sit", "take", "prefer", "want"}
_COUNT_UNITS_KILLED = {"kill", "murder", "massacre", "die", "death"}
# "a 61-year-old man", "13 miles off the coast": numbers that count no one.
_NOT_COUNTED = {"year", "years", "day", "days", "week", "weeks", "month", "months", "hour", "hours",
                "minute", "minutes", "second", "seconds", "mile", "miles", "foot", "feet", "yard",
                "yards", "meter", "meters", "metre", "metres", "kilometer", "kilometers", "pound",
                "pounds", "percent", "time", "times", "point", "points", "round", "rounds", "old"}
_COUNT_UNITS_INJURED = {"injure", "wound", "hurt"}

register_lemmas(_VISIT | _MEETING | _CALL | _REPORT | _CONTRACT_VERBS | _CONTRACT_NOUNS | _ATTACK | _PLAN
                | _OTHER | _OFFERS | {"pass"} | _PLANNING_WORDS | _LIGHT_VERBS | _COUNT_UNITS_KILLED | _COUNT_UNITS_INJURED
                | {"sit", "wound", "injure", "kill"})

# Cheap pre-filter: only sentences with a word that can be an event word go through the parser.
_EVENT_LEMMAS = (_VISIT | _MEETING | _CALL | _REPORT | _CONTRACT_VERBS | _CONTRACT_NOUNS | _ATTACK
                 | _PLAN | _OTHER | _OFFERS | {"sit", "pass", "talks"})
_CUE_FORMS = frozenset(forms_of(_EVENT_LEMMAS))
_WORDS = re.compile(r"[A-Za-z]+")

_MONEY = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥)\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>million|billion|trillion|thousand|bn|m|k)?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<mult2>million|billion|trillion)?\s+(?P<cur2>dollars|euros|pounds|yen|yuan)\b",
    re.I)
_MULT = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_CURRENCY = {"$": "USD", "us$": "USD", "dollars": "USD", "€": "EUR", "euros": "EUR", "£": "GBP",
             "pounds": "GBP", "¥": "JPY", "yen": "JPY", "yuan": "CNY"}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
                 "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}

_ACCORDING = re.compile(r"\b(?:according to|citing)\s+(?P<src>[^,.;]+)", re.I)
_SAYS = re.compile(r"\b(?:reported|said|says|told|announced|confirmed|stated|wrote|reports)\b")
_CITING = re.compile(r",?\s*citing\s+(?P<cite>[^,.;]+)", re.I)


@dataclass
class ArticleContext:
    """What claim extraction knows about the article so far (for pronouns and references)."""

    article_id: str
    published: date | None
    sentences: list[Sentence]
    mentions_by_sentence: dict[int, list[Mention]]
    roles: list[Role]
    descriptors: list[Descriptor]
    times_by_sentence: dict[int, list[TimeExpression]]
    person_keys: set[str]
    text: str
    report_attribution: str | None = None  # the last "X reported, citing Y"
    previous_attribution: str | None = None  # what the previous sentence was attributed to
    claims: list[Claim] = field(default_factory=list)


def needs_parse(sentence_text: str) -> bool:
    return any(w.lower() in _CUE_FORMS for w in _WORDS.findall(sentence_text))


# ---------------------------------------------------------------- attribution


def attribution_of(sentence: Sentence, mentions: list[Mention]) -> str | None:
    """'Kyodo News, citing government sources' / 'Nikkei' — who the sentence says says so."""
    text = sentence.text
    m = _ACCORDING.search(text)
    if m and m.group(0).lower().startswith("according"):
        return _source_name(m.group("src"), m.start("src") + sentence.start, mentions)
    says = _SAYS.search(text)
    if says:
        before = [x for x in mentions if x.evidence.end <= sentence.start + says.start()
                  and x.label in ("ORG", "PERSON", "GPE", "NORP")]
        if before:
            source = before[-1].text
            cite = _CITING.search(text, says.end())
            return f"{source}, citing {cite.group('cite').strip()}" if cite else source
    return None


def _source_name(raw: str, abs_start: int, mentions: list[Mention]) -> str:
    inside = [x for x in mentions if abs_start <= x.evidence.start < abs_start + len(raw)]
    return inside[0].text if inside else re.sub(r"^the\s+", "", raw.strip(), flags=re.I)


# ---------------------------------------------------------------- event words


def _action_of(tok) -> str | None:
    lemma, pos = _lemma(tok), _pos(tok)
    lower = tok.lower_
    if pos not in ("VERB", "NOUN", "PROPN"):
        return None
    if lemma in _VISIT or lower in ("visit", "visits", "trip", "trips"):
        return "visit"
    if lemma == "sit" and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children):
        return "meeting"
    if lemma in _MEETING or lower == "talks":
        if lemma == "talk" and pos == "NOUN" and lower != "talks":
            return None
        if lemma == "talk" and pos == "VERB" and not any(c.lower_ == "with" for c in tok.children):
            return None
        return "meeting"
    if lemma in _CALL or lower in ("call", "calls"):
        sentence_words = {t.lower_ for t in tok.doc}
        if lemma in ("phone", "telephone") and pos == "VERB":
            return "call"
        if pos == "NOUN" and (lemma == "call" or lower == "call") and sentence_words & {"phone", "telephone", "video"}:
            return "call"
        return None
    if lemma in _REPORT and pos == "VERB":
        return "report"
    if lemma in _CONTRACT_VERBS and pos == "VERB" and _has_contract_object(tok):
        return "contract"
    if lemma in _OFFERS and _MONEY.search(tok.doc.text):
        return "contract"
    if lemma == "pass" and any(c.dep_ == "prt" and c.lower_ == "away" for c in tok.children):
        return "other"  # "passed away"
    if lemma in _CONTRACT_NOUNS and pos == "NOUN":
        head = tok.head
        if head is not tok and _lemma(head) in _CONTRACT_VERBS and _pos(head) == "VERB":
            return None  # the verb ("awarded … a contract") carries the claim
        return "contract"
    if lemma in _ATTACK or lower in ("attacks", "killed", "bombing", "shooting"):
        return "attack"
    if lemma in _OTHER and pos in ("VERB", "NOUN"):
        return "other"
    if lemma in _PLAN:
        return "plan"
    return None


def _has_contract_object(verb) -> bool:
    return any(_lemma(t) in _CONTRACT_NOUNS for t in verb.subtree)


# ---------------------------------------------------------------- entities under tokens


def _noun_group(tok) -> list:
    """The token and its coordinated/apposed heads: "Takaichi and Trump" → both."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop()
        if t in out:
            continue
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ in ("conj", "appos"))
    return out


class _Resolver:
    """Maps tokens of one parsed sentence to entity keys."""

    def __init__(self, ctx: ArticleContext, sentence: Sentence, doc):
        self.ctx, self.sentence, self.doc = ctx, sentence, doc
        self.mentions = ctx.mentions_by_sentence.get(sentence.index, [])
        self.descriptors = [d for d in ctx.descriptors
                            if sentence.start <= d.start < sentence.end]

    def abs(self, tok) -> int:
        return self.sentence.start + tok.idx

    def mention_at(self, tok) -> Mention | None:
        pos = self.abs(tok)
        for m in self.mentions:
            if m.evidence.start <= pos < m.evidence.end:
                return m
        return None

    def keys_for(self, tok, *, allow_pronoun: bool = True) -> list[str]:
        keys: list[str] = []
        for t in _noun_group(tok):
            key = self._key_for_one(t, allow_pronoun)
            if key and key not in keys:
                keys.append(key)
        return keys

    def _key_for_one(self, tok, allow_pronoun: bool) -> str | None:
        m = self.mention_at(tok)
        if m:
            return m.entity_key
        pos = self.abs(tok)
        for d in self.descriptors:
            if d.start <= pos < d.end:
                role = holder_for(d, self.ctx.roles) or self._bare_holder(d.title)
                if role:
                    return role.holder
        if allow_pronoun and tok.lower_ in _PERSON_PRONOUNS:
            return self.pronoun(tok)
        # "the Japanese side/government" → Japan; "a Trump visit" → Trump
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss"):
                m = self.mention_at(child)
                if m and m.entity_key.startswith("gpe:"):
                    return m.entity_key
                c = country_of(child.text, capitals=False)
                if c and child.dep_ != "poss":
                    return country_key(c)
        return None

    def _bare_holder(self, title: str) -> Role | None:
        holders = {r.holder: r for r in self.ctx.roles if r.role == title}
        return next(iter(holders.values())) if len(holders) == 1 else None

    def pronoun(self, tok) -> str | None:
        """He/she/his/her: the first person named earlier in this sentence, else the person the
        nearest earlier sentence starts with (news sentences mostly lead with their subject)."""
        pos = self.abs(tok)
        for m in self.mentions:
            if m.evidence.end <= pos and m.entity_key in self.ctx.person_keys:
                return m.entity_key
        for index in range(self.sentence.index - 1, max(-1, self.sentence.index - 4), -1):
            for m in self.ctx.mentions_by_sentence.get(index, []):
                if m.entity_key in self.ctx.person_keys:
                    return m.entity_key
        return None


def _subject_of(verb):
    """The subject of `verb`, climbing through "plans to", "and", "agreed to" clauses."""
    t = verb
    for _ in range(5):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            return subj[0]
        agent = [c for c in t.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return pobj[0]
        if t.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl", "relcl", "pcomp") and t.head is not t:
            t = t.head
            continue
        break
    return None


def _governor(tok):
    """For an event noun: the verb or noun it hangs from ("hold the meeting", "push for a meeting")."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("dobj", "pobj", "attr", "prep", "xcomp", "oprd", "npadvmod", "conj", "appos") and t.head is not t:
            t = t.head
            if _pos(t) in ("VERB", "AUX") or (_pos(t) == "NOUN" and t is not tok):
                if t.dep_ != "prep":
                    return t
        else:
            break
    return None


def _actor_tokens(trigger, action: str):
    """Tokens naming who does the event."""
    if _pos(trigger) in ("VERB", "AUX"):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        if passive:
            agent = [c for c in trigger.children if c.dep_ == "agent"]
            if agent:
                return [c for c in agent[0].children if c.dep_ == "pobj"]
            return []
        subj = _subject_of(trigger)
        return [subj] if subj is not None else []
    # event noun
    own = [c for c in trigger.children if c.dep_ == "poss"]
    if own:
        return own
    for c in trigger.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "between", "among"):
            return [p for p in c.children if p.dep_ == "pobj"]
    t = trigger
    for _ in range(4):
        gov = _governor(t)
        if gov is None:
            break
        if _pos(gov) == "NOUN":
            own = [c for c in gov.children if c.dep_ == "poss"]
            if own:
                return own
            t = gov
            continue
        subj = _subject_of(gov)
        if subj is not None and subj is not trigger:
            return [subj]
        t = gov
    return []


def _prep_objects(tok, preps: set[str]):
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    yield p


def _scope(trigger, other_triggers) -> set[int]:
    """Token indices that belong to this event: its phrase, plus its governing clause when that
    clause names no event of its own (times and places attach there: "agreed in a call on
    Jan 2"), minus the phrases of other events nested inside ("visit … to hold talks")."""
    own = {t.i for t in trigger.subtree}
    if _pos(trigger) != "VERB":
        gov = _governor(trigger)
        if gov is not None and gov not in other_triggers:
            blocked = set()
            for o in other_triggers:
                if o.i not in own:
                    blocked |= {t.i for t in o.subtree}
            own |= {t.i for t in gov.subtree} - blocked
    nested = set()
    for o in other_triggers:
        if o is not trigger and o.i in own:
            nested |= {t.i for t in o.subtree}
    return own - nested


def _planned(trigger, interval_start: date | None, published: date | None) -> bool:
    words = {c.lower_ for c in trigger.children} | {_lemma(c) for c in trigger.children}
    t = trigger
    for _ in range(6):
        if t.head is t:
            break
        t = t.head
        words |= {t.lower_, _lemma(t)}
        words |= {c.lower_ for c in t.children if c.dep_ in ("aux", "amod")}
    if words & _PLANNING_WORDS:
        return True
    return bool(interval_start and published and interval_start > published)


def _quantities(doc, scope: set[int], sentence: Sentence, trigger, action: str,
                times: list[TimeExpression]) -> list[Quantity]:
    """Money anywhere in the event's phrase; head counts ("92 militants") for attacks and other
    incidents. Numbers inside dates are not quantities."""
    out: list[Quantity] = []
    if not scope:
        return out
    in_time = [(t.evidence.start - sentence.start, t.evidence.end - sentence.start) for t in times]
    lo = min(doc[i].idx for i in scope)
    hi = max(doc[i].idx + len(doc[i]) for i in scope)
    money_spans = []
    found = list(_MONEY.finditer(sentence.text, lo, hi))
    for n, m in enumerate(found):
        num = float((m.group("num") or m.group("num2")).replace(",", ""))
        mult = (m.group("mult") or m.group("mult2") or "").lower()
        if not mult and n + 1 < len(found) and re.fullmatch(r"\s*(?:-|–|to)\s*", sentence.text[m.end():found[n + 1].start()]):
            # "$140-$150 million": the range's first end takes the second's multiplier
            mult = (found[n + 1].group("mult") or found[n + 1].group("mult2") or "").lower()
        cur = (m.group("cur") or m.group("cur2") or "").lower()
        out.append(Quantity(num * _MULT.get(mult, 1.0), _CURRENCY.get(cur, cur.upper()), m.group(0).strip()))
        money_spans.append(m.span())
    for i in sorted(scope):
        tok = doc[i]
        if action not in ("attack", "other") or tok.dep_ != "nummod":
            continue
        if any(s <= tok.idx < e for s, e in money_spans + in_time):
            continue
        value = _number(tok.text)
        if value is None:
            continue
        noun = _lemma(tok.head)
        if noun in _NOT_COUNTED or tok.head.lower_ in _NOT_COUNTED:
            continue
        unit = noun
        # A casualty count is who the killing/injuring verb is about: "killed 33 personnel",
        # "92 people died", "eight murders"; "fell 200 ft before he died" counts no one.
        counted, verb = tok.head, tok.head.head
        if counted.dep_ == "conj":
            verb = counted.head.head
        about_verb = counted.dep_ in ("dobj", "nsubj", "nsubjpass", "conj") and verb is not counted
        if _lemma(counted) in _COUNT_UNITS_KILLED or (about_verb and _lemma(verb) in _COUNT_UNITS_KILLED):
            unit = "killed"
        elif _lemma(counted) in _COUNT_UNITS_INJURED or (about_verb and _lemma(verb) in _COUNT_UNITS_INJURED):
            unit = "injured"
        out.append(Quantity(value, unit, f"{tok.text} {tok.head.text}"))
    return out


def _number(text: str) -> float | None:
    clean = text.replace(",", "")
    try:
        return float(clean)
    except ValueError:
        return _NUMBER_WORDS.get(clean.lower())


# ---------------------------------------------------------------- per sentence


def claims_in_sentence(ctx: ArticleContext, sentence: Sentence, doc) -> list[Claim]:
    mentions = ctx.mentions_by_sentence.get(sentence.index, [])
    own_attribution = attribution = attribution_of(sentence, mentions)
    if attribution is None and re.match(r"^(?:The|This|That) report\b", sentence.text):
        attribution = ctx.report_attribution
    elif attribution is None and _same_paragraph(ctx, sentence):
        attribution = ctx.previous_attribution  # "X reported, citing Y. <what they reported>"
    ctx.previous_attribution = attribution
    if doc is None:
        return []

    resolver = _Resolver(ctx, sentence, doc)
    triggers = [(t, a) for t in doc if (a := _action_of(t))]
    trigger_tokens = [t for t, _ in triggers]
    event_indices = {t.i for t, a in triggers if a != "plan"}
    times = ctx.times_by_sentence.get(sentence.index, [])
    claims: list[Claim] = []
    time_of: dict[int, TimeExpression | None] = {}
    for trigger, action in sorted(triggers, key=lambda x: -len(list(x[0].ancestors))):
        if action == "plan" and (trigger.head.i in event_indices
                                 or any(t.i in event_indices for t in trigger.subtree)):
            continue  # "plans to visit", "a planned visit": the visit is the claim, marked planned
        actor_toks = _actor_tokens(trigger, action)
        actors: list[str] = []
        for tok in actor_toks:
            actors += [k for k in resolver.keys_for(tok) if k not in actors]
        if not actors and not actor_toks and any(c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those")
                                                 for c in trigger.children):
            continue  # "This visit …" points back to an event stated before, not a new one
        if not actors and all(_pos(t) in ("PRON", "DET") and t.lower_ not in _PERSON_PRONOUNS
                              for t in actor_toks):
            # no grammatical actor, or only "it"/"this": fall back; "the two presidents" does not
            actors = _fallback_actors(resolver, doc, trigger)
        if not actors and action not in _ACTORLESS_OK:
            continue
        scope = _scope(trigger, trigger_tokens)
        targets, places = _targets_and_places(resolver, trigger, actors)
        time = _closest_time(times, scope, doc, sentence, trigger)
        if time is None:
            # "visit … in March to hold talks": the purpose inherits the enclosing event's time
            for anc in trigger.ancestors:
                if anc.i in time_of and time_of[anc.i] is not None:
                    time = time_of[anc.i]
                    break
        time_of[trigger.i] = time
        interval = time.interval if time else None
        claim = Claim(
            id="", article_id=ctx.article_id, action=action, actors=actors,
            evidence=Evidence(ctx.article_id, sentence.index, sentence.start, sentence.end),
            text=sentence.text, targets=targets, places=places, time=interval,
            quantities=_quantities(doc, scope, sentence, trigger, action, times),
            # a report is attributed to whoever reports it here, never to an earlier report
            attribution=attribution if action != "report" else own_attribution,
            planned=_planned(trigger, interval.start if interval else None, ctx.published),
        )
        claims.append((trigger.i, claim))
    claims.sort(key=lambda x: x[0])
    out = [c for _, c in claims]
    for n, c in enumerate(out):
        c.id = f"{ctx.article_id}:{sentence.index}:{n}"
    for c in out:
        if c.action == "report" and c.attribution:
            ctx.report_attribution = ctx.previous_attribution = c.attribution
    return out


def _same_paragraph(ctx: ArticleContext, sentence: Sentence) -> bool:
    """Whether the previous sentence is in the same paragraph (no line break between them)."""
    if sentence.index == 0:
        return False
    prev = ctx.sentences[sentence.index - 1]
    return "\n" not in ctx.text[prev.end:sentence.start]


def _fallback_actors(resolver: _Resolver, doc, trigger) -> list[str]:
    """No grammatical actor: the main clause's subject, else the first person in the sentence."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is not None:
        subj = _subject_of(root)
        if subj is not None and subj is not trigger and trigger not in list(subj.subtree):
            keys = resolver.keys_for(subj)
            if keys:
                return keys
    for m in resolver.mentions:
        if m.entity_key in resolver.ctx.person_keys:
            return [m.entity_key]
    for m in resolver.mentions:
        if m.entity_key.startswith("gpe:") and m.label == "NORP":
            return [m.entity_key]  # "the Japanese side", "Japanese officials"
    return []


def _targets_and_places(resolver: _Resolver, trigger, actors: list[str]) -> tuple[list[str], list[str]]:
    targets: list[str] = []
    places: list[str] = []

    def add(keys, into):
        for k in keys:
            if k not in actors and k not in targets and k not in places:
                into.append(k)

    holders = [trigger]
    gov = trigger.head if trigger.dep_ == "dobj" else None
    if gov is not None and _lemma(gov) in _LIGHT_VERBS:
        holders.append(gov)  # "hold the meeting at the Davos Forum"
    for h in holders:
        for p in _prep_objects(h, {"with", "against", "on"}):
            add(resolver.keys_for(p), targets)
        for p in _prep_objects(h, {"to", "in", "at", "into", "from", "near", "inside"}):
            keys = resolver.keys_for(p, allow_pronoun=False)
            add([k for k in keys if not k.startswith("person:")], places)
            add([k for k in keys if k.startswith("person:")], targets)
    if _pos(trigger) == "VERB":
        for c in trigger.children:
            if c.dep_ in ("dobj", "dative", "nsubjpass"):
                keys = resolver.keys_for(c, allow_pronoun=False)
                geo = [k for k in keys if k.startswith(("gpe:", "loc:"))]
                add(geo, places)
                add([k for k in keys if k not in geo], targets)
    return targets, places


def _closest_time(times: list[TimeExpression], scope: set[int], doc, sentence: Sentence, trigger):
    if not times:
        return None
    anchor = sentence.start + trigger.idx
    starts = {sentence.start + doc[i].idx for i in scope}
    inside = []
    for t in times:
        covered = any(t.evidence.start <= s < t.evidence.end for s in starts)
        if covered:
            inside.append(t)
    if not inside:
        return None
    return min(inside, key=lambda t: (abs(t.evidence.start - anchor), t.evidence.start))
