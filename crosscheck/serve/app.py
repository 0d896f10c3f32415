"""Web reader, JSON API and Atom feed over the Store.

Server-rendered pages that work without JavaScript: a citation is a link to the cited
sentence's anchor in the article page, and CSS `:target` highlights it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from feedgen.feed import FeedGenerator

from crosscheck import __version__
from crosscheck.config import Settings
from crosscheck.model import Written
from crosscheck.serve import views
from crosscheck.store import Store

HERE = Path(__file__).parent


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    store = store or Store.open(settings.db)
    app = FastAPI(title="Crosscheck", version=__version__,
                  description="Stories grouped from many sources; every summary sentence cites and is "
                              "checked against its sources.")
    app.state.store = store
    app.state.settings = settings
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["date"] = views.format_date
    templates.env.filters["jsonld"] = lambda data: json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def story_or_redirect(story_id: str, prefix: str):
        resolved = store.resolve_story_id(story_id)
        if resolved != story_id:
            return None, RedirectResponse(f"{prefix}{resolved}", status_code=301)
        row = store.get_story(story_id)
        if row is None:
            raise HTTPException(404, f"No story {story_id!r}")
        return row, None

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        latest = store.list_stories(limit=30, order="recent")
        covered = [s for s in store.list_stories(limit=10, order="covered") if s.origin_count > 1]
        return page(request, "home.html", latest=latest, covered=covered,
                    badges={s.id: views.story_badges(store, s.id) for s in latest + covered})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        row, redirect = story_or_redirect(story_id, "/stories/")
        if redirect:
            return redirect
        articles = store.story_articles(row.id)
        written, groups = store.get_written(row.id)
        related = [r for r in (store.get_story(i) for i in store.related_story_ids(row.id)) if r]
        return page(request, "story.html", story=row, written=written or Written(row.id, "none"),
                    sources=views.sources(articles, written), groups=groups, related=related,
                    jsonld=views.story_jsonld(request, row, articles, written))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        found = store.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"No article {article_id!r}")
        analyses = store.get_analyses([found.id])
        story_id = store.article_story_id(found.id)
        story = store.get_story(story_id) if story_id else None
        return page(request, "article.html", article=found, story=story,
                    paragraphs=views.article_paragraphs(found, analyses[0] if analyses else None),
                    badges=views.provenance_badges(found))

    # ------------------------------------------------------------------ API

    @app.get("/api/stories", tags=["stories"])
    def api_stories(limit: int = 50, offset: int = 0) -> list[dict]:
        limit = max(1, min(limit, 200))
        return [views.story_summary_json(r) for r in store.list_stories(limit=limit, offset=max(0, offset))]

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> dict:
        row = store.get_story(store.resolve_story_id(story_id))
        if row is None:
            raise HTTPException(404, f"No story {story_id!r}")
        written, groups = store.get_written(row.id)
        data = views.story_summary_json(row)
        data["articles"] = [views.article_json(a, with_text=False) for a in store.story_articles(row.id)]
        data["written"] = asdict(written) if written else None
        data["claim_groups"] = [asdict(g) for g in groups]
        return data

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> dict:
        found = store.get_article(article_id)
        if found is None:
            raise HTTPException(404, f"No article {article_id!r}")
        return views.article_json(found, with_text=True)

    @app.get("/api/search", tags=["search"])
    def api_search(q: str, limit: int = 20) -> list[dict]:
        return [asdict(hit) for hit in store.search(q, limit=max(1, min(limit, 100)))]

    # ------------------------------------------------------------------ feeds, health

    @app.get("/feed.atom", include_in_schema=False)
    def feed(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        fg = FeedGenerator()
        fg.id(f"{base}/")
        fg.title("Crosscheck: latest stories")
        fg.link(href=f"{base}/feed.atom", rel="self")
        fg.link(href=f"{base}/", rel="alternate")
        fg.updated(datetime.now(timezone.utc))
        for row in reversed(store.list_stories(limit=50)):
            entry = fg.add_entry()
            entry.id(f"{base}/stories/{row.id}")
            entry.title(row.title)
            entry.link(href=f"{base}/stories/{row.id}")
            entry.updated(row.updated)
            if row.first_published:
                entry.published(row.first_published)
            entry.summary(row.description or f"{row.article_count} articles from {row.origin_count} origins")
        return Response(fg.atom_str(pretty=True), media_type="application/atom+xml")

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict:
        return {"ok": True, "stories": store.count_stories()}

    return app

