"""Line up a story's claims across its sources and label each slot.

Slots compared:

* **roles** — "Prime Minister of Japan" and who holds it, per source;
* **events** — claims of the same kind (visits and meetings count as one kind, "engagement")
  whose actors are the same and whose counterpart (place, or the country of the person met)
  is the same; an actor is "the same" across sources when it is the same entity *or* holds the
  same qualified role in its own article (so one source's "Prime Minister Takahashi" and
  another's "Prime Minister Takaichi" visiting the U.S. are one event, whose times can then
  nest or clash; who the prime minister is, is the role slot's business);
* **who did it** — events of one kind, with one counterpart, at overlapping month-or-finer
  times, whose actors differ between sources.

Labels: conflicting (incompatible values from different origins), refinement (values nest:
"late March 2026" inside "spring 2026"), corroborated (two or more independent origins),
single. Independence is counted over origins, not outlets: an article and every origin it
cites ("according to Nikkei") form one origin, and copies share their first copy's origin
(`Article.origin`).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from crosscheck.model import (Analysis, Article, Claim, ClaimGroup, Evidence, Role, TimeInterval,
                              origins_of)
from crosscheck.understand.entities import link_entities
from crosscheck.understand.gazetteer import COUNTRY_BY_DEMONYM, country_key, country_of

FAMILY = {"visit": "engagement", "meeting": "engagement"}
FINE_GRANULARITIES = {"day", "part-of-month", "month", "week"}
# Kinds whose claims name one event each, so two dates for it clash. "other" mixes arrests,
# deaths and appointments, and a source reports many things at many dates: those are
# different events when their dates differ, not one event with clashing dates.
DATED_EVENT_FAMILIES = {"engagement", "call", "contract", "attack"}
_QUANTITY_TOLERANCE = 0.01  # amounts within 1% are the same figure, rounded differently
# Figures that must agree between sources: money and casualties. Other counts in a sentence
# ("two boats", "20 years") describe different things too often to call a difference a clash.
_COMPARABLE_UNITS = {"killed", "injured", "USD", "EUR", "GBP", "JPY", "CNY"}


@dataclass
class _Item:
    """One claim with what reconciling needs to know about it."""

    claim: Claim
    article: Article
    origin: str
    identity: frozenset[str]  # actor keys plus "role:<qualified role>" they hold in their article
    counterpart: frozenset[str]  # places and targets, people mapped to their country
    family: str


@dataclass
class _Cluster:
    items: list[_Item] = field(default_factory=list)

    @property
    def identity(self) -> frozenset[str]:
        return frozenset().union(*(i.identity for i in self.items))

    @property
    def counterpart(self) -> frozenset[str]:
        return frozenset().union(*(i.counterpart for i in self.items))


def reconcile(story_id: str, articles: list[Article], analyses: list[Analysis]) -> list[ClaimGroup]:
    """Claim groups of one story, in a stable order (conflicts first)."""
    # Sorted copies: the result must not depend on input order, and linking rewrites keys.
    articles = sorted(articles, key=lambda a: a.id)
    analyses = sorted(copy.deepcopy(analyses), key=lambda a: a.article_id)
    entities = link_entities(analyses)
    names = {e.key: e.name for e in entities}
    by_id = {a.id: a for a in articles}
    analyses = [a for a in analyses if a.article_id in by_id]
    article_origin = origins_of(articles)  # near-duplicates resolved to their first copy
    components = _origin_components(articles, article_origin)
    affiliation = _affiliations(articles, analyses, entities)

    groups: list[ClaimGroup] = []
    groups += _role_groups(story_id, analyses, by_id, article_origin, components, names)
    items = [_item(c, by_id[a.article_id], article_origin[a.article_id], a.roles, affiliation)
             for a in analyses for c in a.claims
             if c.actors or c.places or c.quantities]  # a bare "a man was shot" lines up with nothing
    clusters = _cluster(items, components)
    absorbed: set[int] = set()
    for pair_group, members in _actor_conflicts(story_id, clusters, components, names):
        groups.append(pair_group)
        absorbed |= members
    for n, cl in enumerate(clusters):
        if n not in absorbed and _worth_showing(cl, components):
            groups.append(_event_group(story_id, cl, components, names))
    order = {"conflicting": 0, "refinement": 1, "corroborated": 2, "single": 3}
    groups.sort(key=lambda g: (order[g.kind], g.slot, g.id))
    return groups


# ---------------------------------------------------------------- origins


def outlet_origin(name: str) -> str:
    """The origin key of a cited outlet, as `Article.origin` spells it."""
    return f"outlet:{name.lower()}"


def _origin_components(articles: list[Article], article_origin: dict[str, str]) -> dict[str, str]:
    """origin → representative: an article's own origin and the origins it cites are one."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in articles:
        own = find(article_origin[a.id])
        for cited in a.provenance.cited_origins:
            other = find(outlet_origin(cited))
            if other != own:
                parent[max(own, other)] = min(own, other)
                own = min(own, other)
    return {x: find(x) for x in list(parent)}


def _claim_origin(claim: Claim, article: Article, article_origin: str) -> str:
    """The outlet the claim is attributed to, when the article cites it; else the article's."""
    if claim.attribution:
        for cited in article.provenance.cited_origins:
            if claim.attribution.lower().startswith(cited.lower()):
                return outlet_origin(cited)
    return article_origin


def _independent(origins, components: dict[str, str]) -> int:
    return len({components.get(o, o) for o in origins})


# ---------------------------------------------------------------- who is who


_POSSESSIVE_AFFILIATION = re.compile(r"\b(?P<country>[A-Z][\w.]*(?: [A-Z][\w.]*)?)(?:'s|’s)\s+(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2})")
_DEMONYM_AFFILIATION = re.compile(r"\b(?P<country>[A-Z][a-z]+)\s+(?:leader|counterpart|President|Premier|Prime Minister)?\s*(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+){0,2})")


def _affiliations(articles: list[Article], analyses: list[Analysis], entities) -> dict[str, str]:
    """person key → country key, from qualified roles ("President of China") and from
    "<Country>'s <Name>" anywhere in the story's titles, descriptions and bodies."""
    out: dict[str, str] = {}
    for a in analyses:
        for r in a.roles:
            country = country_of(r.role.split(" of ", 1)[1], capitals=False) if " of " in r.role else None
            if country:
                out.setdefault(r.holder, country_key(country))
    alias_to_key = {alias: e.key for e in entities if e.label == "PERSON" for alias in e.aliases}
    for article in articles:
        for text in (article.title or "", article.description or "", article.text):
            for m in _POSSESSIVE_AFFILIATION.finditer(text):
                country = country_of(m.group("country"), capitals=False)
                key = _person_key(m.group("name"), alias_to_key)
                if country and key:
                    out.setdefault(key, country_key(country))
            for m in _DEMONYM_AFFILIATION.finditer(text):
                country = COUNTRY_BY_DEMONYM.get(m.group("country").lower())
                key = _person_key(m.group("name"), alias_to_key)
                if country and key:
                    out.setdefault(key, country_key(country))
    return out


def _person_key(name: str, alias_to_key: dict[str, str]) -> str | None:
    words = name.split()
    for n in range(len(words), 0, -1):  # "Xi Jinping in" → "Xi Jinping"
        key = alias_to_key.get(" ".join(words[:n]))
        if key:
            return key
    return None


def _item(claim: Claim, article: Article, article_origin: str, roles: list[Role],
          affiliation: dict[str, str]) -> _Item:
    held = defaultdict(set)
    for r in roles:
        if " of " in r.role:
            held[r.holder].add(f"role:{r.role}")
    identity = frozenset(claim.actors) | frozenset(x for k in claim.actors for x in held[k])
    counterpart = frozenset(affiliation.get(k, k) for k in claim.places + claim.targets
                            if k not in claim.actors)
    if not claim.actors:
        # an incident nobody is named for ("a bomb exploded at West Coast Bank") is identified
        # by where it happened
        identity, counterpart = frozenset(f"at:{k}" for k in claim.places), frozenset()
    return _Item(claim, article, _claim_origin(claim, article, article_origin), identity, counterpart,
                 FAMILY.get(claim.action, claim.action))


# ---------------------------------------------------------------- clustering


def _same_event(a: _Item, b: _Item, components: dict[str, str]) -> bool:
    if a.family != b.family or not (a.identity & b.identity):
        return False
    if a.counterpart or b.counterpart:
        if not (a.counterpart & b.counterpart):
            return False
    ta, tb = a.claim.time, b.claim.time
    if ta and tb and not ta.overlaps(tb):
        # one source's two dates are two events; two sources' dates for one event clash
        same_origin = components.get(a.origin, a.origin) == components.get(b.origin, b.origin)
        if same_origin or a.article.id == b.article.id or a.family not in DATED_EVENT_FAMILIES:
            return False
    return True


def _cluster(items: list[_Item], components: dict[str, str]) -> list[_Cluster]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only claims of one kind that share an actor can be one event: compare within those buckets
    # instead of all pairs (a busy story has thousands of claims).
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for token in item.identity:
            buckets[(item.family, token)].append(i)
    compared: set[tuple[int, int]] = set()
    for members in buckets.values():
        for n, i in enumerate(members):
            for j in members[n + 1:]:
                if (i, j) in compared:
                    continue
                compared.add((i, j))
                if _same_event(items[i], items[j], components):
                    parent[find(j)] = find(i)
    clusters: dict[int, _Cluster] = defaultdict(_Cluster)
    for i, item in enumerate(items):
        clusters[find(i)].items.append(item)
    return [clusters[k] for k in sorted(clusters)]


def _worth_showing(cl: _Cluster, components: dict[str, str]) -> bool:
    """A lone source's bare "Japan plans" or "X reported" (no when, where, whom or how much)
    tells a reader nothing to check; anything two origins state, or with a detail, is kept."""
    if _independent({i.origin for i in cl.items}, components) >= 2:
        return True
    return any(i.claim.time or i.claim.targets or i.claim.places or i.claim.quantities for i in cl.items)


# ---------------------------------------------------------------- groups


def _group_id(story_id: str, slot: str, claim_ids: list[str]) -> str:
    digest = hashlib.sha256("\x1f".join([story_id, slot, *sorted(claim_ids)]).encode()).hexdigest()
    return f"g-{digest[:16]}"


def _source_label(article: Article) -> str:
    """How a summary names a source: outlet, else site, else the page's own title."""
    if article.source:
        return article.source
    for url in (article.canonical_url, article.url, article.provenance.original_url):
        if url:
            host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
            if host:
                return host
    title = (article.title or "").strip()
    return (title[:57] + "…") if len(title) > 60 else (title or article.id)


def _role_groups(story_id, analyses, by_id, article_origin, components, names) -> list[ClaimGroup]:
    by_role: dict[str, list[tuple[Role, Article]]] = defaultdict(list)
    for a in analyses:
        for r in a.roles:
            if " of " in r.role:  # a bare "President" says nothing about which presidency
                by_role[r.role].append((r, by_id[a.article_id]))
    groups = []
    for role, held in sorted(by_role.items()):
        values: dict[str, list[Evidence]] = defaultdict(list)
        origins: dict[str, list[str]] = defaultdict(list)
        sources: dict[str, list[str]] = defaultdict(list)
        for r, article in held:
            name = names.get(r.holder, r.holder_name)
            values[name].append(r.evidence)
            if article_origin[article.id] not in origins[name]:
                origins[name].append(article_origin[article.id])
            if _source_label(article) not in sources[name]:
                sources[name].append(_source_label(article))
        all_origins = [o for os in origins.values() for o in os]
        if len(values) > 1 and _disagreeing_origins(origins, components):
            kind = "conflicting"
            summary = f"{role}: " + " vs ".join(f"{v} ({', '.join(sources[v])})" for v in sorted(values))
        else:
            kind = "corroborated" if _independent(all_origins, components) >= 2 else "single"
            summary = f"{role}: " + "; ".join(f"{v} ({', '.join(sources[v])})" for v in sorted(values))
        slot = f"role:{role}"
        groups.append(ClaimGroup(id=_group_id(story_id, slot, [f"{e.article_id}:{e.start}" for vs in values.values() for e in vs]),
                                 story_id=story_id, kind=kind, slot=slot, summary=summary,
                                 values={k: values[k] for k in sorted(values)},
                                 origins={k: origins[k] for k in sorted(origins)}, claim_ids=[]))
    return groups


def _disagreeing_origins(origins: dict[str, list[str]], components: dict[str, str]) -> bool:
    """Two values are stated by two different (independent) origins."""
    # one origin naming two holders is inconsistent, not a disagreement between sources
    return len({components.get(o, o) for os in origins.values() for o in os}) >= 2


def _cluster_actor_names(items: list[_Item], names: dict[str, str]) -> str:
    """"Takahashi Hayato / Sanae Takaichi" when sources name different holders of one role."""
    seen: list[str] = []
    for i in items:
        who = " and ".join(names.get(k, k) for k in i.claim.actors)
        if who and who not in seen:
            seen.append(who)
    return " / ".join(seen)


def _describe(claim: Claim, names: dict[str, str], actors: str | None = None) -> str:
    who = actors if actors is not None else " and ".join(names.get(k, k) for k in claim.actors)
    what = {"visit": "visit", "meeting": "meeting", "call": "phone call", "report": "report",
            "contract": "contract", "attack": "attack", "plan": "plan", "statement": "statement"}.get(
        claim.action, "event")
    parts = [f"{who} {what}" if who else what]
    if claim.targets:
        parts.append("with " + ", ".join(names.get(k, k) for k in claim.targets))
    if claim.places:
        parts.append(("to " if claim.action == "visit" else "at ") + ", ".join(names.get(k, k) for k in claim.places))
    return " ".join(parts)


def _time_text(interval: TimeInterval) -> str:
    return interval.label or f"{interval.start}..{interval.end}"


def _amount(claim: Claim) -> str | None:
    if not claim.quantities:
        return None
    return ", ".join(f"{q.text}" for q in claim.quantities)


def _event_group(story_id: str, cl: _Cluster, components, names) -> ClaimGroup:
    items = sorted(cl.items, key=lambda i: (i.article.id, i.claim.evidence.sentence_index, i.claim.id))
    # the claim that says most (ties: the first) names the event in the summary
    head = max(enumerate(items), key=lambda p: (len(p[1].claim.actors) + len(p[1].claim.targets)
                                                + len(p[1].claim.places) + (p[1].claim.time is not None),
                                                -p[0]))[1].claim
    event = _describe(head, names, actors=_cluster_actor_names(items, names))
    all_origins = sorted({i.origin for i in items})
    independent = _independent(all_origins, components)

    timed = [i for i in items if i.claim.time is not None]
    quantified = [i for i in items if i.claim.quantities]
    kind, values, origins, detail = None, defaultdict(list), defaultdict(list), ""
    if quantified and _numbers_clash(quantified, components):
        kind = "conflicting"
        for i in quantified:
            _add(values, origins, _amount(i.claim), i)
        detail = "different figures: " + " vs ".join(sorted(values))
    elif timed:
        for i in timed:
            _add(values, origins, _time_text(i.claim.time), i)
        for i in items:
            if i.claim.time is None:
                _add(values, origins, "(no date given)", i)
        intervals = {_time_text(i.claim.time): i.claim.time for i in timed}
        clash = cl.items[0].family in DATED_EVENT_FAMILIES and _time_clash(timed, components)
        if clash:
            kind, detail = "conflicting", "dates disagree: " + " vs ".join(sorted(intervals))
        elif (cl.items[0].family in DATED_EVENT_FAMILIES
              and _nested_across_origins(timed, components)):
            kind = "refinement"
            detail = " within ".join(_time_text(t) for t in _nesting_chain(list(intervals.values())))
        else:
            detail = ", ".join(sorted(intervals))
    else:
        for i in items:
            _add(values, origins, _amount(i.claim) or event, i)
        amounts = sorted({_amount(i.claim) for i in quantified})
        detail = ", ".join(amounts)
    if kind is None:
        kind = "corroborated" if independent >= 2 else "single"
    sources = sorted({_source_label(i.article) for i in items})
    planned = " (planned)" if all(i.claim.planned for i in items) else ""
    summary = f"{event}{planned}" + (f": {detail}" if detail else "") + f" — {', '.join(sources)}"
    slot = f"event:{cl.items[0].family}:{'+'.join(sorted(cl.identity))}->{'+'.join(sorted(cl.counterpart))}"
    claim_ids = [i.claim.id for i in items]
    return ClaimGroup(id=_group_id(story_id, slot, claim_ids), story_id=story_id, kind=kind, slot=slot,
                      summary=summary, values={k: values[k] for k in sorted(values)},
                      origins={k: sorted(set(origins[k])) for k in sorted(origins)}, claim_ids=claim_ids)


def _add(values, origins, value: str, item: _Item) -> None:
    if item.claim.evidence not in values[value]:
        values[value].append(item.claim.evidence)
    origins[value].append(item.origin)


def _nested_across_origins(timed: list[_Item], components) -> bool:
    """Independent sources give different dates for the event, one inside the other."""
    for n, a in enumerate(timed):
        for b in timed[n + 1:]:
            if components.get(a.origin, a.origin) == components.get(b.origin, b.origin):
                continue
            ta, tb = a.claim.time, b.claim.time
            if ta != tb and (ta.contains(tb) or tb.contains(ta)):
                return True
    return False


def _nesting_chain(intervals: list[TimeInterval]) -> list[TimeInterval]:
    """From the narrowest interval outwards, each next one containing the last:
    2026-03 (late) within 2026-03 within 2026 spring."""
    ordered = sorted(intervals, key=lambda t: (t.end - t.start, t.start))
    chain = [ordered[0]]
    for t in ordered[1:]:
        if t.contains(chain[-1]) and t != chain[-1]:
            chain.append(t)
    return chain


def _time_clash(timed: list[_Item], components) -> bool:
    for n, a in enumerate(timed):
        for b in timed[n + 1:]:
            if components.get(a.origin, a.origin) == components.get(b.origin, b.origin):
                continue
            if not a.claim.time.overlaps(b.claim.time):
                return True
    return False


def _numbers_clash(quantified: list[_Item], components) -> bool:
    """Two independent sources give a figure of one kind (money, killed, injured) for the event
    and no figure of one matches any of the other's (a range's ends both count)."""
    def same(x: float, y: float) -> bool:
        return abs(x - y) <= _QUANTITY_TOLERANCE * max(abs(x), abs(y))

    for n, a in enumerate(quantified):
        for b in quantified[n + 1:]:
            if components.get(a.origin, a.origin) == components.get(b.origin, b.origin):
                continue
            ta, tb = a.claim.time, b.claim.time
            anchored = (a.counterpart & b.counterpart) or (ta and tb and ta.overlaps(tb))
            if not anchored:
                continue  # same doer, nothing else in common: maybe two events, not one figure
            for unit in _COMPARABLE_UNITS:
                va = [q.value for q in a.claim.quantities if q.unit == unit]
                vb = [q.value for q in b.claim.quantities if q.unit == unit]
                if va and vb and not any(same(x, y) for x in va for y in vb):
                    return True
    return False


def _actor_conflicts(story_id, clusters: list[_Cluster], components, names):
    """Same kind of event, same counterpart, same month or finer, different actors per source:
    'Trump visits China in April' vs 'Takaichi holds a summit with Xi in April'."""
    out = []
    for n, a in enumerate(clusters):
        for m in range(n + 1, len(clusters)):
            b = clusters[m]
            if a.items[0].family != b.items[0].family or a.identity & b.identity:
                continue
            shared = a.counterpart & b.counterpart
            if not shared:
                continue
            ta = [i for i in a.items if i.claim.time and i.claim.time.granularity in FINE_GRANULARITIES]
            tb = [i for i in b.items if i.claim.time and i.claim.time.granularity in FINE_GRANULARITIES]
            pairs = [(x, y) for x in ta for y in tb if x.claim.time.overlaps(y.claim.time)
                     and components.get(x.origin, x.origin) != components.get(y.origin, y.origin)]
            if not pairs:
                continue
            items = a.items + b.items
            values: dict[str, list[Evidence]] = defaultdict(list)
            origins: dict[str, list[str]] = defaultdict(list)
            for cl in (a, b):
                for i in cl.items:
                    _add(values, origins, _describe(cl_head(cl), names), i)
            when = min((x.claim.time for x, _ in pairs), key=lambda t: (t.end - t.start, t.start))
            place = " / ".join(sorted(names.get(k, _country_name(k)) for k in shared))
            sources_a = sorted({_source_label(i.article) for i in a.items})
            sources_b = sorted({_source_label(i.article) for i in b.items})
            summary = (f"Who engages {place} in {_time_text(when)}: {_describe(cl_head(a), names)} "
                       f"({', '.join(sources_a)}) vs {_describe(cl_head(b), names)} ({', '.join(sources_b)})")
            slot = f"actor:{a.items[0].family}:{'+'.join(sorted(shared))}:{_time_text(when)}"
            claim_ids = [i.claim.id for i in items]
            out.append((ClaimGroup(id=_group_id(story_id, slot, claim_ids), story_id=story_id,
                                   kind="conflicting", slot=slot, summary=summary,
                                   values={k: values[k] for k in sorted(values)},
                                   origins={k: sorted(set(origins[k])) for k in sorted(origins)},
                                   claim_ids=claim_ids), {n, m}))
    return out


def cl_head(cl: _Cluster) -> Claim:
    """The most informative claim of a cluster (dated first, then most places/targets)."""
    return max(enumerate(cl.items), key=lambda p: (p[1].claim.time is not None,
                                                   len(p[1].claim.places) + len(p[1].claim.targets),
                                                   -p[0]))[1].claim


def _country_name(key: str) -> str:
    return key.split(":", 1)[-1].replace("-", " ").title()
