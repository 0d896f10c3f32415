"""Who is asking: sessions in signed cookies backed by a server-side table, CSRF tokens, password
hashing and rate limits. Also the function behind `crosscheck user create`.

Every visitor gets one cookie holding a random token signed with itsdangerous. Signing in rotates
the token and stores its sha256 in `sessions` (so signing out, or deleting the row, ends the
session at once, and a stolen database holds no usable token). The CSRF token of a form is an HMAC
of the visitor's token: a page from another site can neither read it nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import cookie_parser
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from crosscheck.store.accounts import AccountStore, User, UsernameTaken

COOKIE = "cc_session"
SESSION_DAYS = 30
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,39}")
MIN_PASSWORD, MAX_PASSWORD = 10, 512  # the cap bounds hashing work an attacker can ask for

# Limits per process (MemoryStorage): enough for one uvicorn worker; several workers would need
# a shared storage (limits supports Redis/Memcached) to keep the same guarantees.
SIGNIN_PER_IP = parse("10/minute")
SIGNIN_PER_NAME = parse("10/minute")
SIGNUP_PER_IP = parse("10/hour")
POST_PER_USER = [parse("6/minute"), parse("60/hour")]

LOCKOUT_MESSAGE = "Too many sign-in attempts. Please wait a minute and try again."
BAD_CREDENTIALS = "That username and password do not match an account."

hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take the same time."""
    return hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A message meant for the person filling the form."""


def validate_new_account(username: str, password: str) -> None:
    if not USERNAME.fullmatch(username):
        raise AccountError("Usernames are 3–40 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Passwords can be at most {MAX_PASSWORD} characters.")


def create_user(accounts: AccountStore, username: str, password: str, *, moderator: bool = False) -> User:
    """Validate and create an account (the web form and `crosscheck user create` both use this)."""
    validate_new_account(username, password)
    try:
        return accounts.create_user(username, hasher.hash(password), is_moderator=moderator)
    except UsernameTaken:
        raise AccountError("That username is taken.") from None


def verify_password(accounts: AccountStore, username: str, password: str) -> User | None:
    user = accounts.user_by_name(username) if len(password) <= MAX_PASSWORD else None
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(), password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        accounts.set_password_hash(user.id, hasher.hash(password))
    return user


def create_user_cli(db: str, username: str, password: str, moderator: bool) -> User:
    """`crosscheck user create`: open (and migrate) the database, then create the account."""
    from crosscheck.store import Store

    store = Store.open(db)
    try:
        return create_user(AccountStore(store.engine), username, password, moderator=moderator)
    finally:
        store.close()


# ---------------------------------------------------------------- sessions and CSRF


@dataclass
class Visitor:
    token: str  # random, per browser; rotated on sign-in and sign-out
    user: User | None
    csrf: str
    set_cookie: bool  # the response must (re)send the cookie


class Sessions:
    def __init__(self, accounts: AccountStore, secret_key: str | bytes):
        self.accounts = accounts
        self.secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
        self.signer = URLSafeSerializer(self.secret, salt="crosscheck-session")

    def visitor(self, request: Request) -> Visitor:
        cached = getattr(request.state, "visitor", None)
        if cached is not None:
            return cached
        token, user, fresh = None, None, False
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self.signer.loads(raw)
                token = data.get("t") if isinstance(data, dict) else None
                if token and data.get("u"):
                    user = self.accounts.session_user(_hash(token))
            except BadSignature:
                token = None
        if not isinstance(token, str) or not token:
            token, fresh = secrets.token_urlsafe(32), True
        visitor = Visitor(token=token, user=user, csrf=self._csrf(token), set_cookie=fresh)
        request.state.visitor = visitor
        return visitor

    def is_anonymous(self, request: Request) -> bool:
        """True when the cookie (if any) does not claim a signed-in session: no database needed."""
        return self._anonymous_cookie(request.cookies.get(COOKIE))

    def is_anonymous_scope(self, scope) -> bool:
        """`is_anonymous` for a raw ASGI scope (before a Request exists)."""
        header = next((v for k, v in scope["headers"] if k == b"cookie"), None)
        if header is None:
            return True
        return self._anonymous_cookie(cookie_parser(header.decode("latin-1")).get(COOKIE))

    def _anonymous_cookie(self, raw: str | None) -> bool:
        if not raw:
            return True
        try:
            data = self.signer.loads(raw)
        except BadSignature:
            return True
        return not (isinstance(data, dict) and data.get("u"))

    def _csrf(self, token: str) -> str:
        return hmac.new(self.secret, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, request: Request, submitted: object) -> Visitor:
        """403 unless the form carries this visitor's CSRF token (and the visitor has a cookie)."""
        visitor = self.visitor(request)
        if visitor.set_cookie or not isinstance(submitted, str) or not hmac.compare_digest(
                submitted.encode(), visitor.csrf.encode()):
            raise HTTPException(403, "This form has expired or did not come from this site. "
                                     "Reload the page and try again.")
        return visitor

    def sign_in(self, request: Request, user: User) -> Visitor:
        """A fresh token for the signed-in session (never keep a token chosen before sign-in)."""
        token = secrets.token_urlsafe(32)
        self.accounts.purge_expired_sessions()  # sign-ins are rare enough to do the sweeping
        self.accounts.create_session(_hash(token), user.id,
                                     datetime.now(timezone.utc) + timedelta(days=SESSION_DAYS))
        visitor = Visitor(token=token, user=user, csrf=self._csrf(token), set_cookie=True)
        request.state.visitor = visitor
        return visitor

    def sign_out(self, request: Request) -> Visitor:
        old = self.visitor(request)
        self.accounts.end_session(_hash(old.token))
        token = secrets.token_urlsafe(32)
        visitor = Visitor(token=token, user=None, csrf=self._csrf(token), set_cookie=True)
        request.state.visitor = visitor
        return visitor

    def write_cookie(self, response: Response, visitor: Visitor) -> None:
        if not visitor.set_cookie:
            return
        value = self.signer.dumps({"t": visitor.token, "u": 1 if visitor.user else 0})
        # Secure + HttpOnly + SameSite=Lax: never sent over plain HTTP (loopback excepted by
        # browsers), never readable by scripts, never sent on cross-site form posts.
        response.set_cookie(COOKIE, value, max_age=SESSION_DAYS * 86400 if visitor.user else None,
                            path="/", secure=True, httponly=True, samesite="lax")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------- rate limits


class RateLimits:
    """Moving-window limits kept in this process's memory."""

    def __init__(self):
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def sign_in_allowed(self, ip: str, username: str) -> bool:
        # Both counters advance on every attempt, known username or not: the answer never
        # depends on whether an account exists.
        by_ip = self.limiter.hit(SIGNIN_PER_IP, "signin-ip", ip)
        by_name = self.limiter.hit(SIGNIN_PER_NAME, "signin-name", username.lower()[:64])
        return by_ip and by_name

    def sign_up_allowed(self, ip: str) -> bool:
        return self.limiter.hit(SIGNUP_PER_IP, "signup-ip", ip)

    def post_allowed(self, user_id: int) -> bool:
        return all([self.limiter.hit(item, "post", str(user_id)) for item in POST_PER_USER])
