"""The optional LLM backend, against a tiny fake OpenAI-compatible server on 127.0.0.1."""

import json

import pytest

from crosscheck.understand import analyze
from crosscheck.understand.llm import LLMClaimProposer

from tests.fake_chat import FakeChatServer


def _proposals(sentences):
    """What the fake model answers: one sound claim and several that break the checks."""
    call = next(s.index for s in sentences if "phone call" in s.text)
    contract = next(s.index for s in sentences if "Lockheed" in s.text)
    return {"claims": [
        # sound: names, time and figure all written in the sentence
        {"sentence_index": contract, "action": "statement", "actors": ["The Pentagon"],
         "targets": ["Lockheed Martin"], "places": [], "time_text": None,
         "quantities": [{"value": 328.5e6, "unit": "USD", "text": "$328.5 million"}],
         "attribution": None, "planned": False},
        # invented actor: not in the sentence
        {"sentence_index": call, "action": "call", "actors": ["Shinzo Abe"], "targets": [],
         "places": [], "time_text": None, "quantities": [], "attribution": None, "planned": False},
        # unknown action type
        {"sentence_index": call, "action": "teleport", "actors": ["Donald Trump"], "targets": [],
         "places": [], "time_text": None, "quantities": [], "attribution": None, "planned": False},
        # sentence that does not exist
        {"sentence_index": 999, "action": "call", "actors": ["Donald Trump"]},
        # a figure the sentence does not contain
        {"sentence_index": contract, "action": "contract", "actors": ["Lockheed Martin"],
         "targets": [], "places": [], "time_text": None,
         "quantities": [{"value": 1e9, "unit": "USD", "text": "$1 billion"}],
         "attribution": None, "planned": False},
        # a date the sentence does not contain
        {"sentence_index": call, "action": "meeting", "actors": ["Donald Trump"], "targets": [],
         "places": [], "time_text": "March 3, 2026", "quantities": [], "attribution": None,
         "planned": False},
    ]}


@pytest.fixture
def fake_llm(seed_articles):
    [analysis] = analyze([seed_articles["003"]])
    answer = "```json\n" + json.dumps(_proposals(analysis.sentences)) + "\n```"
    with FakeChatServer(lambda numbered: answer) as server:
        yield server.url, server.requests


def test_only_proposals_passing_the_checks_become_claims(fake_llm, seed_articles):
    url, _ = fake_llm
    [analysis] = analyze([seed_articles["003"]], llm=LLMClaimProposer(base_url=url, model="fake"))
    proposed = [c for c in analysis.claims if c.extractor == "llm"]
    assert len(proposed) == 1
    [claim] = proposed
    assert claim.action == "statement" and "Lockheed" in claim.text
    assert claim.quantities[0].value == 328.5e6


def test_names_map_onto_the_articles_entities(fake_llm, seed_articles):
    url, _ = fake_llm
    [analysis] = analyze([seed_articles["003"]], llm=LLMClaimProposer(base_url=url, model="fake"))
    [claim] = [c for c in analysis.claims if c.extractor == "llm"]
    keys = {e.key for e in analysis.entities}
    assert claim.actors[0] in keys and claim.targets[0] in keys


def test_the_request_is_an_openai_chat_completion(fake_llm, seed_articles):
    url, requests = fake_llm
    analyze([seed_articles["003"]], llm=LLMClaimProposer(base_url=url, model="fake"))
    [request] = requests
    path, body = request["path"], request["body"]
    assert path == "/v1/chat/completions"
    assert body["model"] == "fake" and body["temperature"] == 0
    assert "[0]" in body["messages"][-1]["content"]


def test_nothing_is_asked_without_a_configured_backend(fake_llm, seed_articles):
    _, requests = fake_llm
    [analysis] = analyze([seed_articles["003"]])
    assert requests == [] and all(c.extractor == "rules" for c in analysis.claims)


def test_a_failing_endpoint_leaves_the_rule_based_claims(seed_articles):
    with FakeChatServer(lambda numbered: 500) as server:  # every request answered HTTP 500
        proposer = LLMClaimProposer(base_url=server.url, model="fake")
        [with_llm] = analyze([seed_articles["003"]], llm=proposer)
    [without] = analyze([seed_articles["003"]])
    assert with_llm.claims == without.claims
