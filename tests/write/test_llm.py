"""Abstractive mode against a fake OpenAI-compatible server on 127.0.0.1 (never a network service)."""

from __future__ import annotations

import json

import pytest

from crosscheck.write import write_story
from crosscheck.write.llm import chat_url, parse_drafts

from tests.fake_chat import FakeChatServer


def _number_of(numbered: dict[int, str], phrase: str) -> int:
    return next(n for n, text in numbered.items() if phrase in text)


def _drafts(numbered: dict[int, str]) -> str:
    call = _number_of(numbered, "agreed in a phone call")
    contract = _number_of(numbered, "Lockheed Martin")
    sentences = [
        # a faithful paraphrase of the cited sentence
        {"text": "Sanae Takaichi and Donald Trump agreed in a phone call on January 2, 2026, to coordinate "
                 "schedules for a spring visit to the United States.", "cites": [f"S{call}"]},
        # a fabricated amount and company: must never reach the page
        {"text": "The Pentagon awarded Boeing a $900 million contract.", "cites": [f"S{contract}"]},
        # cites nothing: dropped
        {"text": "Japan and China will hold a summit in April.", "cites": []},
    ]
    return "```json\n" + json.dumps({"sentences": sentences}) + "\n```"


def test_model_drafts_and_checker_filters(seed_story, seed_articles, seed_analyses):
    with FakeChatServer(_drafts) as server:
        written = write_story(seed_story, seed_articles, seed_analyses, [],
                              {"llm_url": server.url, "llm_model": "fake-7b"})
    assert written.mode == "abstractive:fake-7b"
    assert [s.text for s in written.summary] == [
        "Sanae Takaichi and Donald Trump agreed in a phone call on January 2, 2026, to coordinate "
        "schedules for a spring visit to the United States."]
    (sentence,) = written.summary
    assert sentence.check.label != "unsupported"
    cited = {a.id: a.text for a in seed_articles}[sentence.citations[0].evidence.article_id]
    assert "agreed in a phone call" in cited[sentence.citations[0].evidence.start:sentence.citations[0].evidence.end]
    assert server.requests[0]["path"] == "/v1/chat/completions"
    assert server.requests[0]["body"]["model"] == "fake-7b"


def test_endpoint_error_falls_back_to_extractive(seed_story, seed_articles, seed_analyses):
    with FakeChatServer(lambda numbered: 500) as server:
        written = write_story(seed_story, seed_articles, seed_analyses, [], {"llm_url": server.url})
    assert written.mode == "extractive"
    assert len(written.summary) >= 5


def test_nothing_supported_falls_back_to_extractive(seed_story, seed_articles, seed_analyses):
    def only_fabrications(numbered):
        return json.dumps({"sentences": [{"text": "Tokyo will host the Olympics in 2032.", "cites": ["S1"]}]})
    with FakeChatServer(only_fabrications) as server:
        written = write_story(seed_story, seed_articles, seed_analyses, [], {"llm_url": server.url})
    assert written.mode == "extractive"


@pytest.mark.parametrize("base", ["http://h:1", "http://h:1/v1", "http://h:1/v1/", "http://h:1/v1/chat/completions"])
def test_chat_url_accepts_the_usual_base_forms(base):
    assert chat_url(base) == "http://h:1/v1/chat/completions"


def test_drafts_parse_from_fenced_or_bare_json():
    assert parse_drafts('{"sentences": [{"text": "A b c.", "cites": ["S2", 3]}]}') == [("A b c.", [2, 3])]
    assert parse_drafts("not json at all") == []


def test_known_disagreements_are_in_the_prompt_and_attached(seed_story, seed_articles, seed_analyses, pm_conflict):
    with FakeChatServer(_drafts) as server:
        written = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict], {"llm_url": server.url})
    prompt = server.requests[0]["body"]["messages"][-1]["content"]
    assert pm_conflict.summary in prompt
    (sentence,) = written.summary
    assert sentence.disagreement == pm_conflict.id
