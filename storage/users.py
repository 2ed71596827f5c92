"""Users of the record: names, roles, departments and argon2id password hashes (argon2-cffi)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.errors import InvalidRequest
from schemas.record import Actor, Department, Role, UserView
from storage.models import User
from storage.persons import new_id

_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,62}$")
MIN_PASSWORD = 10
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
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(f"the password is too short; use at least {MIN_PASSWORD} characters.")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise InvalidRequest(f"a user named {name!r} exists already; choose another name.")
    user = User(
        id=new_id("usr"),
        name=name,
        password_hash=_hasher.hash(password),
        role=role.value,
        department=department.value,
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    return _view(user)


def authenticate(session: Session, name: str, password: str) -> Actor | None:
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
    return Actor(name=user.name, role=Role(user.role), department=Department(user.department), user_id=user.id)


def list_users(session: Session) -> list[UserView]:
    return [_view(u) for u in session.scalars(select(User).order_by(User.name))]
