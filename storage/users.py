"""Users of the record: names, roles, departments and argon2id password hashes (argon2-cffi).

A sign-in hands out the user's credentials version with the actor; sessions and API tokens carry it, and
`current_actor` accepts them only while the user is active and the version is unchanged. Deactivating a
user, setting a new password and signing a user out everywhere raise the version, so each ends every
session and token at its next request."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.errors import InvalidRequest, NotFound
from schemas.record import Actor, Department, Role, SignIn, UserView
from storage.models import User, WebSession
from storage.persons import new_id

_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,62}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 128
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def _view(user: User) -> UserView:
    created = user.created_at if user.created_at.tzinfo else user.created_at.replace(tzinfo=UTC)
    return UserView(
        name=user.name,
        role=Role(user.role),
        department=Department(user.department),
        created_at=created,
        active=user.active,
    )


def add_user(session: Session, name: str, password: str, role: Role, department: Department) -> UserView:
    if not _NAME.match(name):
        raise InvalidRequest(f"user name {name!r} is not allowed; use lower-case letters, digits, '.', '_' or '-'.")
    if role is Role.SYSTEM:
        raise InvalidRequest("the system role belongs to the intake flow; give people another role.")
    _password_allowed(password)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise InvalidRequest(f"a user named {name!r} exists already; choose another name.")
    user = User(
        id=new_id("usr"),
        name=name,
        password_hash=_hasher.hash(password),
        role=role.value,
        department=department.value,
        active=True,
        credentials_version=1,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    return _view(user)


def _actor(user: User) -> Actor:
    return Actor(name=user.name, role=Role(user.role), department=Department(user.department), user_id=user.id)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords people choose first (`storage/common_passwords.txt`)."""
    text = COMMON_PASSWORDS.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _password_allowed(password: str) -> None:
    """The password policy: 10 to 128 characters, not only white space, at least 4 different characters,
    not a common password (with or without a digit or '!' after it). Over 128 could never be typed into
    the login form, which takes at most that many."""
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(f"the password is too short; use at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise InvalidRequest(f"the password is too long; use at most {MAX_PASSWORD} characters.")
    if not password.strip():
        raise InvalidRequest("the password is only white space; choose one with letters, digits or signs.")
    if len(set(password)) < 4:
        raise InvalidRequest("the password repeats too few characters (like 'aaaaaaaaaa'); choose another.")
    folded = password.strip().lower()
    if folded in common_passwords() or folded.rstrip("0123456789!") in common_passwords():
        raise InvalidRequest("the password is one of the most commonly used ones; choose another.")


def authenticate(session: Session, name: str, password: str) -> SignIn | None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active:
        _hasher.hash(password)  # same cost whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return SignIn(actor=_actor(user), credentials_version=user.credentials_version)


def current_actor(session: Session, user_id: str, credentials_version: int) -> Actor | None:
    """The actor a session or token of `user_id` stands for now (role and department as stored today), or
    None when the user is gone, deactivated, or the credentials changed since it was issued."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.credentials_version != credentials_version:
        return None
    return _actor(user)


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"there is no user named {name!r}; `dach users list` shows them.")
    return user


def set_active(session: Session, name: str, active: bool) -> UserView:
    """Deactivate (every session and token ends) or reactivate a user; the history stays."""
    user = _user(session, name)
    if user.active != active:
        user.active = active
        user.credentials_version += 1
    return _view(user)


def set_password(session: Session, name: str, password: str) -> UserView:
    """A new password; sessions and tokens issued with the old one end."""
    _password_allowed(password)
    user = _user(session, name)
    user.password_hash = _hasher.hash(password)
    user.credentials_version += 1
    return _view(user)


def revoke_sessions(session: Session, name: str) -> UserView:
    """Sign a user out everywhere: every session cookie and API token issued so far stops working."""
    user = _user(session, name)
    user.credentials_version += 1
    return _view(user)


def list_users(session: Session) -> list[UserView]:
    return [_view(u) for u in session.scalars(select(User).order_by(User.name))]


def _session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_web_session(session: Session, user_id: str) -> str:
    """A new server-side session for a user who just signed in; returns its random id (for the cookie)."""
    session_id = secrets.token_urlsafe(32)
    session.add(WebSession(id=_session_key(session_id), user_id=user_id, created_at=datetime.now(UTC)))
    return session_id


def web_session_open(session: Session, session_id: str, user_id: str) -> bool:
    row = session.get(WebSession, _session_key(session_id))
    return row is not None and row.user_id == user_id and row.ended_at is None


def end_web_session(session: Session, session_id: str) -> None:
    row = session.get(WebSession, _session_key(session_id))
    if row is not None and row.ended_at is None:
        row.ended_at = datetime.now(UTC)
