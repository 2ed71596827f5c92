"""Notifications out: the daily e-mail digest of each department's inbox and signed webhooks of record events.

Configured in a strictly validated YAML file (`Settings.notifications_file`; none is sent when unset):

    version: 1
    base_url: https://dach.landkreis.example     # links in the digest point at tasks here
    smtp: {host: mail.landkreis.example, port: 25, sender: dach@landkreis.example, starttls: true}
    digest: {social_welfare: sozialamt@landkreis.example, jobcentre: jobcenter@landkreis.example}
    webhooks:
      - {name: sozial-fachverfahren, url: "https://fv.example/hook", department: social_welfare,
         secret_env: DACH_WEBHOOK_SECRET_SOZIAL, max_attempts: 6, backoff_s: 30}

A webhook POSTs one JSON record event at a time (ids, kind, time; the document type only where the endpoint's
department may read it) with `X-Dach-Timestamp` and `X-Dach-Signature: sha256=<hex>`, the HMAC-SHA256 of
"<timestamp>.<body>" under the endpoint's secret (read from the environment variable it names, never from
the file). A failed delivery is retried after backoff_s, 2×, 4× … until max_attempts; every attempt is
logged in the record (`webhook_deliveries`). The digest carries no personal data: task titles, due dates
and document types the department may read, and links.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import smtplib
import time
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import httpx
import yaml
from prefect import flow
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.errors import ConfigError
from schemas.record import Department
from schemas.settings import Settings
from storage import Archive, open_archive
from storage.notify import Digest

log = logging.getLogger(__name__)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Smtp(_Strict):
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    sender: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    starttls: bool = False
    timeout_s: float = Field(default=30, gt=0)


class Webhook(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_-]{1,60}$")
    url: str = Field(pattern=r"^https?://")
    department: Department
    secret_env: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    max_attempts: int = Field(default=6, ge=1, le=50)
    backoff_s: float = Field(default=30, ge=0)
    timeout_s: float = Field(default=10, gt=0)


class Notifications(_Strict):
    version: int = Field(ge=1, le=1)
    base_url: str = "http://127.0.0.1:8000"
    smtp: Smtp | None = None
    digest: dict[Department, str] = Field(default_factory=dict)
    webhooks: tuple[Webhook, ...] = ()

    @classmethod
    def load(cls, path: Path | None) -> Notifications:
        if path is None:
            return cls(version=1)
        try:
            config = cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(f"the notification settings {path} are not valid: {exc}; fix them.") from exc
        if config.digest and config.smtp is None:
            raise ConfigError(f"{path} names digest recipients but no smtp server; add `smtp`.")
        return config


def digest_text(digest: Digest, base_url: str) -> str:
    from schemas.strings_de import label  # German labels of types and kinds (no personal data among them)

    lines = [
        f"Postkorb {label('department', digest.department)} am {digest.day:%d.%m.%Y}",
        f"{digest.open} offene Aufgaben, davon {digest.due} fällig.",
        "",
    ]
    for line in digest.lines:
        due = date.fromisoformat(line.due_date).strftime("%d.%m.%Y") if line.due_date else "ohne Frist"
        kind = label("task.kind", line.kind)
        what = label("type", line.document_type) if line.document_type else "Dokument"
        flag = " (überfällig)" if line.overdue else ""
        lines.append(f"- {due}{flag}: {line.title} [{kind}, {what}] {base_url}/tasks/{line.task_id}")
    return "\n".join(lines) + "\n"


def send_digests(archive: Archive, config: Notifications, day: date) -> int:
    """One e-mail per configured department; returns how many were sent."""
    if config.smtp is None:
        return 0
    sent = 0
    for department, recipient in config.digest.items():
        digest = archive.task_digest(department, day)
        message = EmailMessage()
        message["From"] = config.smtp.sender
        message["To"] = recipient
        message["Subject"] = f"dach Postkorb: {digest.open} offene Aufgaben ({digest.day:%d.%m.%Y})"
        message.set_content(digest_text(digest, config.base_url.rstrip("/")))
        with smtplib.SMTP(config.smtp.host, config.smtp.port, timeout=config.smtp.timeout_s) as smtp:
            if config.smtp.starttls:
                smtp.starttls()
            smtp.send_message(message)
        sent += 1
        log.info("digest for %s sent (%d tasks)", department.value, digest.open)
    return sent


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def deliver_webhooks(archive: Archive, config: Notifications, now: datetime | None = None) -> dict[str, int]:
    """Make every delivery that is due now; returns delivered attempts per endpoint."""
    delivered: dict[str, int] = {}
    for hook in config.webhooks:
        secret = os.environ.get(hook.secret_env)
        if not secret:
            raise ConfigError(f"webhook {hook.name}: the environment variable {hook.secret_env} holds no secret.")
        at = now or datetime.now(UTC)
        delivered[hook.name] = 0
        for delivery_id, body in archive.due_webhook_deliveries(hook.name, hook.department, at, hook.max_attempts):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Dach-Timestamp": timestamp,
                "X-Dach-Signature": signature(secret.encode(), timestamp, body),
            }
            try:
                answer = httpx.post(hook.url, content=body, headers=headers, timeout=hook.timeout_s)
                ok, error = answer.is_success, "" if answer.is_success else f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                ok, error = False, f"{exc.__class__.__name__}: {exc}"
            archive.record_webhook_attempt(
                delivery_id, ok, error, at, backoff_s=hook.backoff_s, max_attempts=hook.max_attempts
            )
            delivered[hook.name] += ok
    return delivered


@flow(name="dach-notify", validate_parameters=False)
def notify(settings: Settings | None = None, digests: bool = False) -> dict[str, int]:
    """Scheduled: deliver due webhooks; with `digests` (once a day) also send the e-mail digests."""
    settings = settings or Settings()
    config = Notifications.load(settings.notifications_file)
    archive = open_archive(settings)
    try:
        out = deliver_webhooks(archive, config)
        if digests:
            out["digests"] = send_digests(archive, config, date.today())
        return out
    finally:
        archive.close()
