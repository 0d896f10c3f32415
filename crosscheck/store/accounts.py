"""Reader accounts over the Store's engine: users, server-side sessions, comments and reports.

Kept apart from `Store` (articles and stories) because it is the web reader's concern only; it
shares the engine, so it works on SQLite and PostgreSQL alike: `AccountStore(store.engine)`.
The tables are created by migration 0002. Passwords arrive here already hashed; session tokens
arrive already hashed too, so a leaked database holds neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (Boolean, Column, ForeignKey, Integer, MetaData, String, Table, Text, bindparam,
                        delete, func, insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from crosscheck.store.schema import UTCDateTime

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(40), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("is_moderator", Boolean, nullable=False, default=False),
    Column("created", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("expires", UTCDateTime, nullable=False),
)

comments = Table(
    "comments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(64), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("parent_id", Integer, ForeignKey("comments.id", ondelete="CASCADE")),
    Column("body", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("edited", UTCDateTime),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("hidden", Boolean, nullable=False, default=False),
)

comment_reports = Table(
    "comment_reports", metadata,
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("created", UTCDateTime, nullable=False),
)


class UsernameTaken(ValueError):
    pass


@dataclass
class User:
    id: int
    username: str  # lower-cased: the unique key people sign in with
    display_name: str  # as they typed it
    password_hash: str
    is_moderator: bool
    created: datetime


@dataclass
class CommentRow:
    id: int
    story_id: str
    user_id: int
    author: str  # the author's display name
    parent_id: int | None
    body: str  # Markdown source ("" once deleted)
    html: str  # sanitised HTML ("" once deleted)
    created: datetime
    edited: datetime | None
    deleted: bool
    hidden: bool
    reports: int = 0


def _now() -> datetime:
    return datetime.now(timezone.utc)


# The two queries behind every signed-in page view, built once: building a statement costs
# more than running it on SQLite.
_SESSION_USER = (select(users).join(sessions, sessions.c.user_id == users.c.id)
                 .where(sessions.c.token_hash == bindparam("token_hash"), sessions.c.expires > bindparam("now")))
_REPORTS = (select(comment_reports.c.comment_id, func.count().label("n"))
            .group_by(comment_reports.c.comment_id).subquery())
_COMMENTS = (select(comments, users.c.display_name.label("author"),
                    func.coalesce(_REPORTS.c.n, 0).label("reports"))
             .join(users, users.c.id == comments.c.user_id)
             .outerjoin(_REPORTS, _REPORTS.c.comment_id == comments.c.id)
             .order_by(comments.c.created, comments.c.id))
_STORY_COMMENTS = _COMMENTS.where(comments.c.story_id == bindparam("story_id"))
_ONE_COMMENT = _COMMENTS.where(comments.c.id == bindparam("comment_id"))


class AccountStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # ------------------------------------------------------------ users

    def create_user(self, username: str, password_hash: str, *, is_moderator: bool = False) -> User:
        """A new account; `UsernameTaken` when the name (compared case-insensitively) exists."""
        values = dict(username=username.lower(), display_name=username, password_hash=password_hash,
                      is_moderator=is_moderator, created=_now())
        try:
            with self.engine.begin() as conn:
                user_id = conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
        except IntegrityError:
            raise UsernameTaken(username) from None
        return User(id=user_id, **values)

    def user_by_name(self, username: str) -> User | None:
        return self._user(users.c.username == username.lower())

    def user_by_id(self, user_id: int) -> User | None:
        return self._user(users.c.id == user_id)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Used to upgrade a hash when argon2's parameters change (PasswordHasher.check_needs_rehash)."""
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def set_moderator(self, user_id: int, is_moderator: bool = True) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == user_id).values(is_moderator=is_moderator))

    def _user(self, where) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(where)).mappings().first()
        return User(**row) if row else None

    # ------------------------------------------------------------ sessions

    def create_session(self, token_hash: str, user_id: int, expires: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(sessions).values(token_hash=token_hash, user_id=user_id,
                                                 created=_now(), expires=expires))

    def session_user(self, token_hash: str) -> User | None:
        """The signed-in user for a session token, unless the session expired or was ended."""
        with self.engine.connect() as conn:
            row = conn.execute(_SESSION_USER, {"token_hash": token_hash, "now": _now()}).mappings().first()
        return User(**row) if row else None

    def end_session(self, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def purge_expired_sessions(self) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(sessions).where(sessions.c.expires <= _now())).rowcount

    # ------------------------------------------------------------ comments

    def add_comment(self, story_id: str, user_id: int, body: str, html: str,
                    parent_id: int | None = None) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(comments).values(
                story_id=story_id, user_id=user_id, parent_id=parent_id, body=body, html=html,
                created=_now(), deleted=False, hidden=False).returning(comments.c.id)).scalar_one()

    def get_comment(self, comment_id: int) -> CommentRow | None:
        rows = self._comments(_ONE_COMMENT, {"comment_id": comment_id})
        return rows[0] if rows else None

    def story_comments(self, story_id: str) -> list[CommentRow]:
        """Every comment on a story, oldest first (the page decides what hidden/deleted show as)."""
        return self._comments(_STORY_COMMENTS, {"story_id": story_id})

    def count_comments(self, story_id: str) -> int:
        query = (select(func.count()).select_from(comments)
                 .where(comments.c.story_id == story_id, comments.c.deleted.is_(False),
                        comments.c.hidden.is_(False)))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def edit_comment(self, comment_id: int, body: str, html: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(comments).where(comments.c.id == comment_id)
                         .values(body=body, html=html, edited=_now()))

    def delete_comment(self, comment_id: int) -> None:
        """Soft delete: replies keep their place under a "[deleted]" parent; the text is gone."""
        with self.engine.begin() as conn:
            conn.execute(update(comments).where(comments.c.id == comment_id)
                         .values(body="", html="", deleted=True, edited=_now()))

    def set_hidden(self, comment_id: int, hidden: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(comments).where(comments.c.id == comment_id).values(hidden=hidden))

    def report_comment(self, comment_id: int, user_id: int, reason: str) -> bool:
        """False when this user already reported this comment (one report each)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(comment_reports).values(comment_id=comment_id, user_id=user_id,
                                                            reason=reason, created=_now()))
        except IntegrityError:
            return False
        return True

    def _comments(self, query, params: dict) -> list[CommentRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(query, params).mappings().all()
        return [CommentRow(**row) for row in rows]
