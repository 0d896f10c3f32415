"""Web reader, accounts and comments, JSON API and Atom feeds over the Store.

Server-rendered pages that work without JavaScript: a citation is a link to the cited
sentence's anchor (#s<index>) in the article page, and CSS `:target` highlights it.
Every form carries a CSRF token; every POST checks it first.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosscheck import __version__
from crosscheck.config import Settings
from crosscheck.model import Written
from crosscheck.serve import views
from crosscheck.serve.accounts import (BAD_CREDENTIALS, LOCKOUT_MESSAGE, AccountError, RateLimits,
                                       Sessions, create_user, verify_password)
from crosscheck.serve.api import api_router
from crosscheck.serve.markup import MAX_COMMENT, highlight_snippet, render_comment
from crosscheck.serve.views import clean_text, parse_day
from crosscheck.store import Store
from crosscheck.store.accounts import AccountStore

HERE = Path(__file__).parent
FORM_PAGES = {"signin.html", "signup.html", "comment_edit.html"}


class _Cache:
    """A small LRU for page parts that only change when their story's `updated` changes.
    Used from the thread pool, hence the lock."""

    def __init__(self, size: int = 256):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


class _Fresh:
    """Values kept for a few seconds, shared by the thread pool's threads."""

    def __init__(self, ttl: float = 5.0, size: int = 1024):
        self.ttl, self.size, self.items, self.lock = ttl, size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.items.get(key)
        return found[1] if found and found[0] >= time.monotonic() else None

    def put(self, key, value):
        with self.lock:
            self.items[key] = (time.monotonic() + self.ttl, value)
            self.items.move_to_end(key)
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


class _Recent:
    """Whole anonymous pages, kept for a few seconds (a "micro-cache"). Only touched from the
    event loop (the ASGI front door and `cached_for_anonymous`), so it needs no lock.

    Every anonymous reader of a story gets the same bytes, so under load one render serves
    many readers. New articles show within `ttl` seconds; comments posted, edited, deleted or
    hidden through this process drop the story's page at once (`forget`).
    """

    def __init__(self, ttl: float = 5.0, size: int = 512):
        self.ttl, self.size, self.items = ttl, size, OrderedDict()
        self.changes: dict[str, int] = {}  # story id → how many times it was forgotten

    def version(self, story_id: str) -> int:
        return self.changes.get(story_id, 0)

    def get(self, key) -> tuple[bytes | None, bool]:
        """(body, still fresh); (None, False) when absent."""
        found = self.items.get(key)
        if found is None:
            return None, False
        return found[1], found[0] >= time.monotonic()

    def put(self, key, value: bytes, version: int) -> None:
        if version != self.version(key[0]):
            return  # a comment changed while this copy was rendering: it is already stale
        self.items[key] = (time.monotonic() + self.ttl, value)
        self.items.move_to_end(key)
        if len(self.items) > self.size:
            self.items.popitem(last=False)

    def forget(self, story_id: str) -> None:
        self.changes[story_id] = self.version(story_id) + 1
        for key in [k for k in self.items if k[0] == story_id]:
            del self.items[key]


@dataclass
class StoryParts:
    """Everything on a story page except the discussion: rebuilt only when the story changes."""

    title: str
    description: str
    body: str  # rendered HTML of the story itself
    jsonld: dict


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    store = store or Store.open(settings.db)
    accounts = AccountStore(store.engine)
    sessions = Sessions(accounts, settings.secret_key or secrets.token_bytes(32))
    limits = RateLimits()
    app = FastAPI(title="Crosscheck", version=__version__,
                  description="Stories grouped from many sources; every summary sentence cites and is "
                              "checked against its sources.")
    app.state.store, app.state.settings, app.state.accounts = store, settings, accounts
    app.state.sessions, app.state.limits = sessions, limits
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["date"] = views.format_date
    templates.env.filters["jsonld"] = lambda data: json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    templates.env.filters["snippet"] = highlight_snippet
    templates.env.globals["entity_labels"] = views.ENTITY_LABELS
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router(store, accounts))
    story_cache, badge_cache, anonymous_pages = _Cache(), _Cache(1024), _Recent()
    story_rows = _Fresh()  # story id → (id it resolves to, row): as fresh as the anonymous pages
    app.state.anonymous_pages = anonymous_pages

    def page(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        visitor = sessions.visitor(request)
        response = templates.TemplateResponse(request, name, {"visitor": visitor, **context},
                                              status_code=status_code)
        # A first-time visitor gets a cookie only where a form needs its CSRF token: reading
        # pages stay cookie-free, so they are the same bytes for every anonymous reader.
        if visitor.user or name in FORM_PAGES:
            sessions.write_cookie(response, visitor)
            response.headers["Cache-Control"] = "private, no-store"
        return response

    def redirect(request: Request, url: str) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        sessions.write_cookie(response, sessions.visitor(request))
        return response

    def client_ip(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    @app.exception_handler(StarletteHTTPException)
    async def errors(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        return page(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                    message=exc.detail if isinstance(exc.detail, str) else "Something went wrong.")

    def badges_for(rows) -> dict:
        return {r.id: badge_cache.get((r.id, r.updated)) or
                badge_cache.put((r.id, r.updated), views.story_badges(store, r.id)) for r in rows}

    # ------------------------------------------------------------------ reading

    def render_home(request: Request, _: str = ""):
        latest = store.list_stories(limit=30, order="recent")
        covered = [s for s in store.list_stories(limit=8, order="covered") if s.origin_count > 1]
        return page(request, "home.html", latest=latest, covered=covered, badges=badges_for(latest + covered))

    def story_parts(request: Request, row) -> StoryParts:
        key = (row.id, row.updated, str(request.base_url))
        cached = story_cache.get(key)
        if cached:
            return cached
        articles = store.story_articles(row.id)
        written, groups = store.get_written(row.id)
        written = written or Written(row.id, "none")
        related = [r for r in (store.get_story(i) for i in store.related_story_ids(row.id)) if r]
        entities = views.story_entities(store.get_analyses(a.id for a in articles))
        sources = views.sources(articles, written)
        body = templates.get_template("story_body.html").render(
            story=row, written=written, sources=sources, groups=groups,
            related=related, entities=entities, badges=badges_for([row]))
        return story_cache.put(key, StoryParts(
            title=written.seo_title or row.title, description=written.meta_description or row.title,
            body=body, jsonld=views.story_jsonld(request, row, articles, written)))

    def story_row(story_id: str):
        story_id = clean_text(story_id, 64)
        row = store.get_story(story_id)
        if row is None:
            raise HTTPException(404, "There is no story at this address.")
        return row

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(request: Request, story_id: str):
        return await cached_for_anonymous(request, story_id, render_story_page)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request):
        return await cached_for_anonymous(request, "", render_home)

    rendering: dict[tuple, asyncio.Future] = {}

    async def cached_for_anonymous(request: Request, story_id: str, render):
        """Anonymous readers without query parameters share one recent copy of the page.

        One request at a time renders a given page (in the thread pool, off the event loop);
        meanwhile the others get the copy that just expired, or wait for that one render
        instead of starting their own: no stampede of identical renders when a copy expires.
        """
        key = _page_key(request.scope, story_id)
        shareable = not request.url.query and sessions.is_anonymous(request)
        if not shareable:
            return await run_in_threadpool(render, request, story_id)
        body, fresh = anonymous_pages.get(key)
        if body is not None and (fresh or key in rendering):
            return HTMLResponse(body)
        if key in rendering:
            shared = await asyncio.shield(rendering[key])
            if shared is not None:
                return HTMLResponse(shared)
            return await run_in_threadpool(render, request, story_id)
        done = rendering[key] = asyncio.get_running_loop().create_future()
        body, version = None, anonymous_pages.version(story_id)
        try:
            response = await run_in_threadpool(render, request, story_id)
            if response.status_code == 200 and "set-cookie" not in response.headers:
                body = response.body
                anonymous_pages.put(key, body, version)
            return response
        finally:
            done.set_result(body)
            del rendering[key]

    def render_story_page(request: Request, story_id: str):
        found = story_rows.get(story_id)
        if found is None:
            resolved = store.resolve_story_id(clean_text(story_id, 64))
            found = story_rows.put(story_id, (resolved, store.get_story(resolved) if resolved == story_id else None))
        resolved, row = found
        if resolved != story_id:
            return RedirectResponse(f"/stories/{resolved}", status_code=301)
        if row is None:
            raise HTTPException(404, "There is no story at this address.")
        return story_with_discussion(request, row)

    def story_with_discussion(request: Request, row, status_code: int = 200, error: str = "",
                              draft: str = "", reply_to: int | None = None) -> HTMLResponse:
        visitor = sessions.visitor(request)
        moderator = bool(visitor.user and visitor.user.is_moderator)
        threads = views.comment_threads(accounts.story_comments(row.id), moderator)
        return page(request, "story.html", status_code=status_code, story=row, parts=story_parts(request, row),
                    threads=threads, error=error, draft=draft, reply_to=reply_to, moderator=moderator)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        found = store.get_article(clean_text(article_id, 64))
        if found is None:
            raise HTTPException(404, "There is no article at this address.")
        analyses = store.get_analyses([found.id])
        analysis = analyses[0] if analyses else None
        story_id = store.article_story_id(found.id)
        story = store.get_story(story_id) if story_id else None
        return page(request, "article.html", article=found, story=story,
                    paragraphs=views.article_paragraphs(found, analysis),
                    claims=views.claim_sentences(analysis),
                    entities=views.story_entities([analysis] if analysis else []),
                    badges=views.provenance_badges(found))

    @app.get("/entities/{key}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, key: str):
        entity = store.get_entity(clean_text(key, 200))
        if entity is None:
            raise HTTPException(404, "There is no person, place or organisation at this address.")
        rows = [r for r in (store.get_story(i) for i in store.entity_story_ids(entity.key)) if r]
        return page(request, "entity.html", entity=entity, stories=rows, badges=badges_for(rows))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", source: str = "", since: str = "", until: str = ""):
        q, source = clean_text(q, 200), clean_text(source, 200)
        error, hits = "", []
        try:
            start, end = parse_day(clean_text(since, 20)), parse_day(clean_text(until, 20), end=True)
        except ValueError:
            start = end = None
            error = "Dates are written YYYY-MM-DD, for example 2026-01-02."
        if q and not error:
            hits = store.search(q, limit=50, source=source or None, since=start, until=end)
        return page(request, "search.html", q=q, source=source, since=since[:20], until=until[:20],
                    hits=hits, error=error, status_code=400 if error else 200)

    # ------------------------------------------------------------------ accounts

    @app.get("/signup", response_class=HTMLResponse, include_in_schema=False)
    def signup_form(request: Request, next: str = "/"):
        return page(request, "signup.html", next=safe_next(next), error="", username="")

    @app.post("/signup", response_class=HTMLResponse, include_in_schema=False)
    async def signup(request: Request):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        next_url = safe_next(str(form.get("next", "/")))
        if not limits.sign_up_allowed(client_ip(request)):
            return page(request, "signup.html", status_code=429, next=next_url, username=username,
                        error="Too many new accounts from here. Please try again later.")
        try:
            # argon2 takes a few hundred ms of CPU: off the event loop, so other readers don't wait
            user = await run_in_threadpool(create_user, accounts, username, password)
        except AccountError as exc:
            return page(request, "signup.html", status_code=400, next=next_url, username=username,
                        error=str(exc))
        sessions.sign_in(request, user)
        return redirect(request, next_url)

    @app.get("/signin", response_class=HTMLResponse, include_in_schema=False)
    def signin_form(request: Request, next: str = "/"):
        return page(request, "signin.html", next=safe_next(next), error="", username="")

    @app.post("/signin", response_class=HTMLResponse, include_in_schema=False)
    async def signin(request: Request):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        username, password = str(form.get("username", ""))[:100], str(form.get("password", ""))
        next_url = safe_next(str(form.get("next", "/")))
        if not limits.sign_in_allowed(client_ip(request), username):
            response = page(request, "signin.html", status_code=429, next=next_url, username=username,
                            error=LOCKOUT_MESSAGE)
            response.headers["Retry-After"] = "60"
            return response
        user = await run_in_threadpool(verify_password, accounts, username, password)
        if user is None:
            return page(request, "signin.html", status_code=400, next=next_url, username=username,
                        error=BAD_CREDENTIALS)
        sessions.sign_in(request, user)
        return redirect(request, next_url)

    @app.post("/signout", include_in_schema=False)
    async def signout(request: Request):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        sessions.sign_out(request)
        return redirect(request, "/")

    # ------------------------------------------------------------------ comments

    def signed_in(request: Request):
        user = sessions.visitor(request).user
        if user is None:
            raise HTTPException(401, "Please sign in first.")
        return user

    def comment_or_404(comment_id: int):
        found = accounts.get_comment(comment_id) if 0 < comment_id < 2**31 else None
        if found is None:
            raise HTTPException(404, "There is no such comment.")
        return found

    @app.post("/stories/{story_id}/comments", include_in_schema=False)
    async def post_comment(request: Request, story_id: str):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        user = signed_in(request)
        row = story_row(story_id)
        body = clean_text(str(form.get("body", "")), MAX_COMMENT + 1).strip()
        parent_id = _int(form.get("parent_id"))
        if parent_id is not None:
            parent = accounts.get_comment(parent_id) if 0 < parent_id < 2**31 else None
            if parent is None or parent.story_id != row.id:
                raise HTTPException(400, "The comment you replied to is not on this story.")
            parent_id = parent.parent_id or parent.id  # replies stay one level deep
        error = ""
        if not body:
            error = "The comment is empty."
        elif len(body) > MAX_COMMENT:
            error = f"Comments can be at most {MAX_COMMENT} characters."
        elif not limits.post_allowed(user.id):
            return story_with_discussion(request, row, status_code=429, draft=body, reply_to=parent_id,
                                         error="You are posting too fast. Please wait a minute.")
        if error:
            return story_with_discussion(request, row, status_code=400, error=error, draft=body,
                                         reply_to=parent_id)
        comment_id = accounts.add_comment(row.id, user.id, body, render_comment(body), parent_id)
        anonymous_pages.forget(row.id)
        return redirect(request, f"/stories/{row.id}#comment-{comment_id}")

    @app.get("/comments/{comment_id}/edit", response_class=HTMLResponse, include_in_schema=False)
    def edit_form(request: Request, comment_id: int):
        user = signed_in(request)
        comment = own_comment(comment_or_404(comment_id), user)
        return page(request, "comment_edit.html", comment=comment, error="", body=comment.body)

    def own_comment(comment, user):
        if comment.user_id != user.id:
            raise HTTPException(403, "You can only change your own comments.")
        if comment.deleted:
            raise HTTPException(404, "This comment was deleted.")
        return comment

    @app.post("/comments/{comment_id}/edit", include_in_schema=False)
    async def edit_comment(request: Request, comment_id: int):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        user = signed_in(request)
        comment = own_comment(comment_or_404(comment_id), user)
        body = clean_text(str(form.get("body", "")), MAX_COMMENT + 1).strip()
        if not body or len(body) > MAX_COMMENT:
            return page(request, "comment_edit.html", status_code=400, comment=comment, body=body,
                        error=f"A comment needs 1 to {MAX_COMMENT} characters.")
        if not limits.post_allowed(user.id):
            return page(request, "comment_edit.html", status_code=429, comment=comment, body=body,
                        error="You are posting too fast. Please wait a minute.")
        accounts.edit_comment(comment.id, body, render_comment(body))
        anonymous_pages.forget(comment.story_id)
        return redirect(request, f"/stories/{comment.story_id}#comment-{comment.id}")

    @app.post("/comments/{comment_id}/delete", include_in_schema=False)
    async def delete_comment(request: Request, comment_id: int):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        comment = own_comment(comment_or_404(comment_id), signed_in(request))
        accounts.delete_comment(comment.id)
        anonymous_pages.forget(comment.story_id)
        return redirect(request, f"/stories/{comment.story_id}#discussion")

    @app.post("/comments/{comment_id}/report", include_in_schema=False)
    async def report_comment(request: Request, comment_id: int):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        user = signed_in(request)
        comment = comment_or_404(comment_id)
        accounts.report_comment(comment.id, user.id, clean_text(str(form.get("reason", "")), 500))
        return redirect(request, f"/stories/{comment.story_id}?reported={comment.id}#comment-{comment.id}")

    @app.post("/comments/{comment_id}/hide", include_in_schema=False)
    async def hide_comment(request: Request, comment_id: int):
        form = await request.form()
        sessions.check_csrf(request, form.get("csrf"))
        user = signed_in(request)
        if not user.is_moderator:
            raise HTTPException(403, "Only moderators can hide comments.")
        comment = comment_or_404(comment_id)
        accounts.set_hidden(comment.id, form.get("hidden", "1") != "0")
        anonymous_pages.forget(comment.story_id)
        return redirect(request, f"/stories/{comment.story_id}#comment-{comment.id}")

    # ------------------------------------------------------------------ feeds, health

    def atom(request: Request, title: str, self_path: str, rows) -> Response:
        base = str(request.base_url).rstrip("/")
        fg = FeedGenerator()
        fg.id(f"{base}{self_path}")
        fg.title(title)
        fg.link(href=f"{base}{self_path}", rel="self")
        fg.link(href=f"{base}/", rel="alternate")
        fg.updated(max((r.updated for r in rows), default=datetime(2000, 1, 1, tzinfo=timezone.utc)))
        for row in reversed(rows):
            entry = fg.add_entry()
            entry.id(f"{base}/stories/{row.id}")
            entry.title(row.title)
            entry.link(href=f"{base}/stories/{row.id}")
            entry.updated(row.updated)
            if row.first_published:
                entry.published(row.first_published)
            entry.summary(row.description or f"{row.article_count} articles from {row.origin_count} origins")
        return Response(fg.atom_str(pretty=True), media_type="application/atom+xml")

    @app.get("/feed.atom", include_in_schema=False)
    def feed(request: Request) -> Response:
        return atom(request, "Crosscheck: latest stories", "/feed.atom", store.list_stories(limit=50))

    @app.get("/entities/{key}/feed.atom", include_in_schema=False)
    def entity_feed(request: Request, key: str) -> Response:
        entity = store.get_entity(clean_text(key, 200))
        if entity is None:
            raise HTTPException(404, "There is no person, place or organisation at this address.")
        rows = [r for r in (store.get_story(i) for i in store.entity_story_ids(entity.key)) if r]
        return atom(request, f"Crosscheck: stories about {entity.name}", f"/entities/{entity.key}/feed.atom", rows)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict:
        return {"ok": True, "stories": store.count_stories()}

    app.add_middleware(FreshAnonymousPages, pages=anonymous_pages, sessions=sessions)
    return app


def _page_key(scope, story_id: str) -> tuple:
    host = next((v for k, v in scope["headers"] if k == b"host"), b"")
    return (story_id, host, scope["scheme"])


# Pages run no script at all (the JSON-LD block is data, not code), load nothing from elsewhere
# and may not be framed. /docs is FastAPI's Swagger UI, which loads its scripts from a CDN.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'none'; object-src 'none'; "
                                 b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
NO_POLICY = ("/docs", "/redoc")


class FreshAnonymousPages:
    """ASGI front door: a fresh shared copy of the home or a story page goes straight back to
    an anonymous reader, before routing and the thread pool. Everything else passes through.
    Every response gets the security headers."""

    def __init__(self, app, pages: _Recent, sessions: Sessions):
        self.app, self.pages, self.sessions = app, pages, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith(NO_POLICY):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and not scope["query_string"]:
            path = scope["path"]
            story_id = "" if path == "/" else path[9:] if path.startswith("/stories/") else None
            if story_id is not None and "/" not in story_id:
                body, fresh = self.pages.get(_page_key(scope, story_id))
                if fresh and self.sessions.is_anonymous_scope(scope):
                    await send({"type": "http.response.start", "status": 200, "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
                    await send({"type": "http.response.body", "body": body})
                    return

        head = scope["method"] == "HEAD"
        if head:  # answered as GET without the body (link checkers and crawlers ask HEAD)
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def safe_next(value: str) -> str:
    """Only same-site paths: never an open redirect to another host (//evil, /\\evil, http:…)."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(c < " " for c in value):
        return "/"
    if value.split("?", 1)[0] in ("/signin", "/signup", "/signout"):
        return "/"  # back to reading, not to the form just used
    return value[:500]


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def app_from_environment() -> FastAPI:
    """For `uvicorn crosscheck.serve.app:app_from_environment --factory --workers N`: settings
    from crosscheck.toml / CROSSCHECK_* as usual. With several workers set CROSSCHECK_SECRET_KEY
    (else each worker signs cookies with its own key); caches and rate limits are per worker."""
    from crosscheck.config import load_settings

    settings = load_settings()
    if not settings.secret_key:
        raise RuntimeError("set CROSSCHECK_SECRET_KEY: worker processes must share one signing key")
    return create_app(settings)
