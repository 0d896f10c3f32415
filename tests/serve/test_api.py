"""The JSON API, its OpenAPI description, and schemathesis fuzzing it for server errors."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.serve.conftest import story_with_summary

API_PATHS = {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/comments",
             "/api/articles/{article_id}", "/api/entities/{key}", "/api/search"}


def test_openapi_describes_every_api_route_and_only_those(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == API_PATHS


def test_stories_api_pages_through_every_story(client, reader_store):
    total = reader_store.count_stories()
    seen = client.get("/api/stories", params={"limit": 5}).json() + \
        client.get("/api/stories", params={"limit": 200, "offset": 5}).json()
    assert len({s["id"] for s in seen}) == total
    covered = client.get("/api/stories", params={"order": "covered", "limit": 200}).json()
    counts = [s["origin_count"] for s in covered]
    assert counts == sorted(counts, reverse=True)


def test_story_api_returns_sources_summary_and_claim_groups(client, reader_store):
    row, written = story_with_summary(reader_store)
    data = client.get(f"/api/stories/{row.id}").json()
    assert data["id"] == row.id and data["origin_count"] == row.origin_count
    assert {a["id"] for a in data["articles"]} == {a.id for a in reader_store.story_articles(row.id)}
    assert all("text" not in a for a in data["articles"])
    assert [s["text"] for s in data["written"]["summary"]] == [s.text for s in written.summary]


def test_article_api_returns_text_and_origin(client, reader_store):
    row, _ = story_with_summary(reader_store)
    article = reader_store.story_articles(row.id)[0]
    data = client.get(f"/api/articles/{article.id}").json()
    assert data["text"] == article.text and data["origin"] == article.origin


def test_entity_api_lists_its_stories(client, reader_store):
    row, _ = story_with_summary(reader_store)
    analysis = reader_store.get_analyses([reader_store.story_articles(row.id)[0].id])[0]
    key = next(m.entity_key for m in analysis.mentions if m.entity_key)
    data = client.get(f"/api/entities/{key}").json()
    assert data["key"] == key
    assert [s["id"] for s in data["stories"]] == reader_store.entity_story_ids(key)


def test_search_api_returns_hits_with_marked_snippets(client):
    hits = client.get("/api/search", params={"q": "Takaichi", "limit": 3}).json()
    assert 0 < len(hits) <= 3
    assert all("«" in h["snippet"] for h in hits)


@pytest.mark.parametrize("path", ["/api/stories/nope", "/api/stories/nope/comments", "/api/articles/nope",
                                  "/api/entities/person:nobody-at-all"])
def test_api_answers_unknown_ids_with_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["detail"]


def test_api_rejects_out_of_range_parameters_with_422(client):
    assert client.get("/api/stories", params={"limit": 10**30}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "since": "tomorrow"}).status_code == 400


def test_api_never_answers_with_a_server_error(app):
    """Schemathesis generates valid and invalid requests for every operation of /openapi.json."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == API_PATHS
    for operation in operations:
        constrained = any(p.location == "query" for p in operation.iter_parameters())
        # A lone free-form path string has no invalid values to generate: negative mode only
        # where there are typed or bounded query parameters.
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if constrained else (GenerationMode.POSITIVE,):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=10, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def call(case):
                case.call_and_validate(checks=[not_a_server_error])

            call()
