"""The reader's path through the site in a real Chromium: read, follow a citation, sign up,
comment, reload, sign out. Saves the screenshots the README shows (docs/screenshots/)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "docs" / "screenshots"
MARK_BACKGROUND = "rgb(255, 243, 176)"  # --mark in style.css: the :target highlight


def cited_story_id(app) -> str:
    """The seeds' story (translated + AI-written sources) when it has a cited summary: the one
    worth a screenshot; otherwise the most covered story with one."""
    from tests.serve.conftest import story_with_summary

    store = app.state.store
    for row in store.list_stories(limit=100, order="covered"):
        written, _ = store.get_written(row.id)
        if (written and any(s.citations for s in written.summary)
                and any(a.provenance.ai_generated for a in store.story_articles(row.id))):
            return row.id
    return story_with_summary(store)[0].id


def test_read_follow_a_citation_sign_up_comment_and_sign_out(live_server, browser_context):
    base, app = live_server
    story_id = cited_story_id(app)
    page = browser_context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # Home: the story is listed; open it by clicking its headline.
    page.goto(base + "/")
    assert page.locator("h1").first.inner_text() == "Stories"
    page.screenshot(path=str(SCREENSHOTS / "home.png"))
    page.locator(f'a[href="/stories/{story_id}"]').first.click()
    page.wait_for_url(f"{base}/stories/{story_id}")
    assert page.locator(".summary-sentences li").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)

    # A citation jumps to the cited sentence of the source, highlighted by CSS :target.
    citation = page.locator(".summary a.cite").first
    href = citation.get_attribute("href")
    anchor = href.split("#", 1)[1]
    citation.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == anchor
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == MARK_BACKGROUND
    assert target.is_visible() and target.inner_text().strip()
    page.screenshot(path=str(SCREENSHOTS / "cited-passage.png"))

    # Sign up from the story page, and come back to it signed in.
    page.go_back()
    page.wait_for_url(f"{base}/stories/{story_id}")
    page.get_by_role("link", name="create an account").click()
    username = "reader" + uuid.uuid4().hex[:6]
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/stories/{story_id}")))
    assert f"Signed in as {username}" in page.locator("header").inner_text()

    # Post a comment; it is there after a reload.
    words = f"Checked the sources, thanks ({uuid.uuid4().hex[:6]})"
    page.get_by_label("Share your thoughts").fill(words)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    page.reload()
    assert page.locator(".comment-body", has_text=words).count() == 1
    page.locator("#discussion").screenshot(path=str(SCREENSHOTS / "discussion.png"))

    # Sign out: the header offers sign-in again and the comment form is gone.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Sign in").count() == 1
    page.goto(f"{base}/stories/{story_id}")
    assert page.locator("#comment-body").count() == 0
    assert page.locator(".comment-body", has_text=words).count() == 1


def test_story_page_fits_a_phone_screen(live_server, browser_context):
    base, app = live_server
    page = browser_context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/", f"/stories/{cited_story_id(app)}", "/search?q=Takaichi", "/signup"):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    page.goto(f"{base}/stories/{cited_story_id(app)}")
    page.screenshot(path=str(SCREENSHOTS / "story-phone.png"))


def test_pages_have_no_accessibility_violations(live_server, browser_context):
    """axe-core (bundled with axe-playwright-python) checks landmarks, labels, names, contrast…"""
    from axe_playwright_python.sync_playwright import Axe

    base, app = live_server
    store = app.state.store
    story_id = cited_story_id(app)
    article = store.story_articles(story_id)[0]
    analysis = store.get_analyses([article.id])[0]
    entity = next(m.entity_key for m in analysis.mentions if m.entity_key)
    page = browser_context.new_page()
    axe = Axe()
    found = {}
    for path in ("/", f"/stories/{story_id}", f"/articles/{article.id}#s0", f"/entities/{entity}",
                 "/search?q=Takaichi", "/signin", "/signup", "/nowhere"):
        page.goto(base + path)
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    # Signed in, with a comment: the discussion's forms (reply, report, edit) are checked too.
    page.goto(f"{base}/signup")
    page.get_by_label("Username").fill("a11y" + uuid.uuid4().hex[:6])
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.goto(f"{base}/stories/{story_id}")
    page.get_by_label("Share your thoughts").fill("A *comment* with a [link](https://example.org/)")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    page.locator(".comment-actions summary").first.click()  # open the reply form
    violations = axe.run(page).response["violations"]
    if violations:
        found["signed-in story"] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    assert not found, found
