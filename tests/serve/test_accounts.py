"""Sign up, sign in, sign out, sessions, CSRF and the sign-in rate limit."""

from __future__ import annotations

import uuid

import pytest

from crosscheck.serve.accounts import BAD_CREDENTIALS, COOKIE, LOCKOUT_MESSAGE
from crosscheck.store.accounts import AccountStore
from tests.serve.conftest import PASSWORD, csrf_of, new_client, sign_up


def sign_in(client, username, password=PASSWORD):
    return client.post("/signin", data={"username": username, "password": password, "next": "/",
                                        "csrf": csrf_of(client)})


def signed_in_as(client) -> str | None:
    text = client.get("/").text
    marker = "Signed in as <strong>"
    return text.split(marker, 1)[1].split("<", 1)[0] if marker in text else None


def test_sign_up_signs_you_in(client):
    name = sign_up(client)
    assert signed_in_as(client) == name


def test_session_cookie_is_secure_httponly_and_samesite(client):
    cookie = next(h for h in client.get("/signin").headers.get_list("set-cookie") if h.startswith(COOKIE + "="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= flags


def test_reading_pages_set_no_cookie_for_anonymous_readers(client, reader_store):
    # Same bytes for every anonymous reader (and no tracking): the cookie waits for a form.
    story = reader_store.list_stories(limit=1)[0].id
    for path in ("/", f"/stories/{story}", "/search?q=Takaichi"):
        assert "set-cookie" not in client.get(path).headers, path


def test_password_is_stored_as_an_argon2_hash(client, reader_store):
    name = sign_up(client)
    user = AccountStore(reader_store.engine).user_by_name(name)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_out_ends_the_session_on_the_server(client):
    name = sign_up(client)
    stolen = client.cookies.get(COOKIE)
    response = client.post("/signout", data={"csrf": csrf_of(client, "/")})
    assert response.status_code == 303
    assert signed_in_as(client) is None
    replay = new_client(client.app)
    replay.headers["cookie"] = f"{COOKIE}={stolen}"
    assert signed_in_as(replay) is None, f"the old cookie of {name} still works after sign-out"


def test_sign_in_rotates_the_session_token(client):
    name = sign_up(client)
    client.post("/signout", data={"csrf": csrf_of(client, "/")})
    before = client.cookies.get(COOKIE)
    assert sign_in(client, name).status_code == 303
    assert client.cookies.get(COOKIE) != before
    assert signed_in_as(client) == name


def test_usernames_are_unique_regardless_of_case(client):
    name = sign_up(client)
    other = new_client(client.app)
    response = other.post("/signup", data={"username": name.upper(), "password": PASSWORD,
                                           "csrf": csrf_of(other, "/signup")})
    assert response.status_code == 400 and "taken" in response.text


@pytest.mark.parametrize("username,password", [("ab", PASSWORD), ("bad name", PASSWORD), ("okname", "short")])
def test_sign_up_rejects_bad_usernames_and_short_passwords(client, username, password):
    response = client.post("/signup", data={"username": username, "password": password,
                                            "csrf": csrf_of(client, "/signup")})
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert signed_in_as(client) is None


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    name = sign_up(client)
    client.post("/signout", data={"csrf": csrf_of(client, "/")})
    wrong = sign_in(client, name, "not the password at all")
    unknown = sign_in(client, "nobody" + uuid.uuid4().hex[:8], "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert BAD_CREDENTIALS in wrong.text and BAD_CREDENTIALS in unknown.text


def test_twenty_wrong_passwords_in_a_minute_are_rate_limited(client):
    name = sign_up(client)
    client.post("/signout", data={"csrf": csrf_of(client, "/")})
    token = csrf_of(client)
    statuses = [client.post("/signin", data={"username": name, "password": f"wrong guess {i}",
                                             "csrf": token}).status_code for i in range(20)]
    assert 429 in statuses
    assert statuses[:3] == [400, 400, 400]  # the limit is not so tight that typos lock people out
    locked = sign_in(client, name)  # even the right password waits out the lockout
    assert locked.status_code == 429
    assert LOCKOUT_MESSAGE in locked.text and locked.headers["retry-after"]


def test_lockout_message_is_the_same_for_unknown_usernames(client):
    token = csrf_of(client)
    ghost = "ghost" + uuid.uuid4().hex[:8]
    responses = [client.post("/signin", data={"username": ghost, "password": "x" * 12, "csrf": token})
                 for _ in range(20)]
    assert responses[-1].status_code == 429 and LOCKOUT_MESSAGE in responses[-1].text


POSTS = ["/signup", "/signin", "/signout", "/stories/{story}/comments", "/comments/1/edit",
         "/comments/1/delete", "/comments/1/report", "/comments/1/hide"]


def test_post_without_csrf_token_is_forbidden(client, reader_store):
    sign_up(client)  # signed in, so only the missing token can be the reason
    story = reader_store.list_stories(limit=1)[0].id
    for path in POSTS:
        response = client.post(path.format(story=story), data={"body": "hello", "username": "x", "password": "y"})
        assert response.status_code == 403, path


def test_post_with_another_visitors_csrf_token_is_forbidden(client, reader_store):
    sign_up(client)
    foreign = csrf_of(new_client(client.app))
    story = reader_store.list_stories(limit=1)[0].id
    for path in POSTS:
        response = client.post(path.format(story=story), data={"body": "hello", "csrf": foreign})
        assert response.status_code == 403, path


def test_post_without_any_cookie_is_forbidden(client, reader_store):
    token = csrf_of(client)
    stranger = new_client(client.app)  # a cross-site form post carries no session cookie
    response = stranger.post("/signin", data={"username": "x", "password": "y" * 12, "csrf": token})
    assert response.status_code == 403


def test_next_parameter_never_redirects_off_site(client):
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/signup", data={"username": "u" + uuid.uuid4().hex[:10], "password": PASSWORD,
                                                "next": evil, "csrf": csrf_of(client, "/signup")})
        assert response.status_code == 303 and response.headers["location"] == "/"
        client.post("/signout", data={"csrf": csrf_of(client, "/")})


def test_user_create_makes_a_moderator_who_can_sign_in(client, reader_store):
    from crosscheck.serve.accounts import create_user_cli

    name = "mod" + uuid.uuid4().hex[:8]
    user = create_user_cli(reader_store.url, name, PASSWORD, moderator=True)
    assert user.is_moderator
    assert sign_in(client, name).status_code == 303
    assert "(moderator)" in client.get("/").text
