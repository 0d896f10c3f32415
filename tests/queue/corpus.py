"""A deterministic synthetic news corpus for the queue tests and bench/scale.py.

Real seed articles are two; fault tests need thousands. These are short, plain English articles
grouped into topics (one event each, several outlets reporting it in different words), so the
offline understand stage reads them quickly and the cluster stage has real stories to form.
Every article has its own URL and its own text (no two share a content hash).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

EVENTS = [
    ("flood", "River {river} burst its banks in {place} after three days of rain",
     "Emergency crews evacuated {n} homes near the {river} embankment"),
    ("strike", "Transit workers in {place} walked out over pay and rosters",
     "The {org} union said {n} drivers joined the stoppage"),
    ("budget", "The {place} city council approved a budget of {n} million for new schools",
     "Councillor {person} said the {org} plan would add classrooms by next year"),
    ("merger", "{org} agreed to buy a rival shipping firm based in {place}",
     "The deal values the {place} company at {n} million, said chief executive {person}"),
    ("wildfire", "A wildfire spread across hills outside {place} overnight",
     "Firefighters from {org} said {n} hectares had burned by morning"),
]
PEOPLE = ["Ana Ribeiro", "Joseph Mwangi", "Kenji Sato", "Laura Chen", "Piotr Nowak", "Camila Rojas",
          "Liam Walsh", "Ingrid Berg", "Claire Dubois", "Maria Santos", "Ethan Clarke", "Kofi Mensah"]
OUTLETS = ["Daily Ledger", "Evening Courier", "Metro Post", "The Observer Wire", "Harbor Times"]
EXTRA = [
    "Officials promised an update on {day}.",
    "Residents described the mood in {place} as tense but calm.",
    "The mayor of {place} thanked volunteers for their help.",
    "Local businesses in {place} reported fewer customers during the week.",
    "A spokesperson for {org} declined to comment further.",
    "Analysts said the {kind} could affect the regional economy.",
    "Schools in the {place} district stayed open throughout the week.",
    "Police in {place} asked drivers to avoid the main bridge until further notice.",
    "The regional governor is expected to visit {place} on {day} to meet families.",
]


@dataclass(frozen=True)
class SyntheticArticle:
    url: str
    title: str
    text: str
    published: datetime
    outlet: str
    topic: int


SYLLABLES = ["ka", "lo", "mer", "vin", "to", "sa", "bre", "dun", "ri", "fal", "zen", "or", "pa", "quil",
             "test", "mon", "har", "vel", "ush", "gar"]


def _name(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


LOCAL = [
    "Traffic on the {a} bridge was diverted towards {b} for most of the day.",
    "Shops around {a} market stayed shut while {c} crews worked nearby.",
    "Witnesses near the {b} depot described {person} arriving before dawn.",
    "The {c} festival planned for {day} in {place} was postponed.",
    "Engineers from {org} inspected the {a} tunnel and the {b} pier.",
    "A hotline run by {org} took calls from the {c} neighbourhood.",
    "{person} told reporters the {a} plan had been agreed with {b} officials.",
    "Buses from {c} station ran on a reduced timetable through {place}.",
]


def articles(count: int, *, per_topic: int = 20, seed: int = 7, host: str = "news.test") -> list[SyntheticArticle]:
    """`count` articles in `count // per_topic` topics (rounded up), in a fixed order.

    Each topic has its own invented place, river, people and organisation, so topics are as
    distinct as real stories are (and cluster into stories of about `per_topic` articles).
    """
    rng = random.Random(seed)
    base = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    found = []
    topics: dict[int, dict] = {}
    for number in range(count):
        topic = number // per_topic
        kind, lead, detail = EVENTS[topic % len(EVENTS)]
        if topic not in topics:
            topic_rng = random.Random(seed * 1000 + topic)
            place = f"{_name(topic_rng)}{'ville' if topic % 2 else 'berg'}"
            topics[topic] = {
                "place": place, "river": _name(topic_rng, 2), "n": topic_rng.randint(12, 900),
                "org": f"{_name(topic_rng)} {topic_rng.choice(['Holdings', 'Union', 'Board', 'Group'])}",
                "person": f"{topic_rng.choice(PEOPLE).split()[0]} {_name(topic_rng)}",
                "kind": kind, "day": topic_rng.choice(["Monday", "Tuesday", "Friday"]),
                "a": _name(topic_rng), "b": _name(topic_rng), "c": _name(topic_rng),
            }
        facts = topics[topic]
        outlet = OUTLETS[number % len(OUTLETS)]
        extras = rng.sample(EXTRA, 2) + rng.sample(LOCAL, 5)
        sentences = [lead.format(**facts) + ".", detail.format(**facts) + ".",
                     *(e.format(**facts) for e in extras),
                     f"{outlet} correspondent number {number} filed this report from {facts['place']}."]
        title = f"{lead.format(**facts).split(' after ')[0]} ({outlet})"
        published = base + timedelta(days=topic * 2, minutes=number % per_topic * 7)
        found.append(SyntheticArticle(url=f"http://{host}/{topic}/{number}.html", title=title,
                                      text=" ".join(sentences), published=published,
                                      outlet=outlet, topic=topic))
    return found


def rss(items: list[SyntheticArticle], *, title: str = "Synthetic wire", full_content: bool = True) -> bytes:
    """An RSS 2.0 feed of `items`: full text in content:encoded, or links only."""
    entries = []
    for item in items:
        body = ""
        if full_content:
            body = f"<content:encoded>{escape('<p>' + item.text + '</p>')}</content:encoded>"
        entries.append(f"<item><title>{escape(item.title)}</title><link>{escape(item.url)}</link>"
                       f"<guid>{escape(item.url)}</guid>"
                       f"<pubDate>{item.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                       f"{body}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{escape(title)}</title><link>http://news.test/</link>"
            f"<language>en</language>{''.join(entries)}</channel></rss>").encode()


def page(item: SyntheticArticle) -> bytes:
    """The article's own HTML page, as a link-only feed entry points to."""
    return (f"<!doctype html><html lang='en'><head><title>{escape(item.title)}</title>"
            f"<meta property='og:site_name' content='{escape(item.outlet)}'>"
            f"<meta property='article:published_time' content='{item.published.isoformat()}'>"
            f"<link rel='canonical' href='{escape(item.url)}'></head><body><article>"
            f"<h1>{escape(item.title)}</h1><p>{escape(item.text)}</p></article></body></html>").encode()
