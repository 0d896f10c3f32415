"""The read-only JSON API under /api/ (described at /openapi.json)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from crosscheck.serve import views
from crosscheck.serve.views import clean_text, parse_day
from crosscheck.store import Store
from crosscheck.store.accounts import AccountStore

Day = Annotated[str | None, Query(description="YYYY-MM-DD (UTC)", max_length=20)]


def api_router(store: Store, accounts: AccountStore) -> APIRouter:
    router = APIRouter(prefix="/api")

    def story_or_404(story_id: str):
        row = store.get_story(store.resolve_story_id(clean_text(story_id, 64)))
        if row is None:
            raise HTTPException(404, "No such story")
        return row

    @router.get("/stories", tags=["stories"], summary="Stories, newest or most covered first")
    def api_stories(limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
                    order: Annotated[str, Query(pattern="^(recent|covered)$")] = "recent") -> list[dict]:
        return [views.story_summary_json(r) for r in store.list_stories(limit=limit, offset=offset, order=order)]

    @router.get("/stories/{story_id}", tags=["stories"], summary="One story: sources, summary, claim groups",
                responses={404: {"description": "No such story"}})
    def api_story(story_id: str) -> dict:
        row = story_or_404(story_id)
        written, groups = store.get_written(row.id)
        data = views.story_summary_json(row)
        data["articles"] = [views.article_json(a, with_text=False) for a in store.story_articles(row.id)]
        data["written"] = asdict(written) if written else None
        data["claim_groups"] = [asdict(g) for g in groups]
        return data

    @router.get("/stories/{story_id}/comments", tags=["comments"], summary="A story's discussion",
                responses={404: {"description": "No such story"}})
    def api_comments(story_id: str) -> list[dict]:
        row = story_or_404(story_id)
        return [views.comment_json(c) for c in accounts.story_comments(row.id)]

    @router.get("/articles/{article_id}", tags=["articles"], summary="One source article with its text",
                responses={404: {"description": "No such article"}})
    def api_article(article_id: str) -> dict:
        found = store.get_article(clean_text(article_id, 64))
        if found is None:
            raise HTTPException(404, "No such article")
        return views.article_json(found, with_text=True)

    @router.get("/entities/{key}", tags=["entities"], summary="A person, place or organisation and its stories",
                responses={404: {"description": "No such entity"}})
    def api_entity(key: str) -> dict:
        entity = store.get_entity(clean_text(key, 200))
        if entity is None:
            raise HTTPException(404, "No such entity")
        rows = [r for r in (store.get_story(i) for i in store.entity_story_ids(entity.key)) if r]
        return views.entity_json(entity, rows)

    @router.get("/search", tags=["search"], summary="Full-text search over articles",
                responses={400: {"description": "A date is not YYYY-MM-DD"}})
    def api_search(q: Annotated[str, Query(max_length=500)],
                   source: Annotated[str | None, Query(max_length=200)] = None,
                   since: Day = None, until: Day = None,
                   limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict]:
        try:
            start, end = parse_day(clean_text(since, 20)), parse_day(clean_text(until, 20), end=True)
        except ValueError:
            raise HTTPException(400, "Dates are YYYY-MM-DD") from None
        return [asdict(hit) for hit in store.search(clean_text(q, 500), limit=limit,
                                                    source=clean_text(source, 200) or None,
                                                    since=start, until=end)]

    return router
