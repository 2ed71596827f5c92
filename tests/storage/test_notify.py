"""Notifications out, against real peers on loopback: the daily digest through an SMTP server (aiosmtpd),
signed webhooks to an HTTP server that fails twice before it accepts (retries with back-off, delivery log).
Neither carries personal data or a document type the recipient department may not read."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from flows.notify import Notifications, deliver_webhooks, send_digests
from schemas.documents import DocumentType
from schemas.errors import ConfigError
from schemas.record import Department
from schemas.strings_de import label
from schemas.tasks import TaskAction, TaskChange
from storage import Archive
from storage.archive import CONSOLE_ACTOR as ADMIN
from storage.db import transaction
from storage.models import WebhookDelivery
from tests.storage.conftest import Filer
from tests.storage.test_dispatch import PERMIT_TEXT, clerk, person_with_asylblg_matter


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's hook name
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    with socket.socket() as sock:  # aiosmtpd checks readiness by connecting to its port: give it a real one
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


class Receiver(BaseHTTPRequestHandler):
    failures_left = 2
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:  # http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        if Receiver.failures_left > 0:
            Receiver.failures_left -= 1
            self.send_response(503)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.failures_left, Receiver.received = 2, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()


def config(tmp_path: Path, text: str) -> Notifications:
    path = tmp_path / "notify.yaml"
    path.write_text(text, encoding="utf-8")
    return Notifications.load(path)


def test_daily_digest_by_smtp_names_no_person_and_no_unreadable_type(
    archive: Archive, filer: Filer, smtp: tuple[Controller, Inbox], tmp_path: Path
) -> None:
    person_with_asylblg_matter(archive, filer)
    filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    filer.file(DocumentType.BIRTH_CERTIFICATE, number="GU-1", born="2015-01-01", given="MARIA")
    archive.dispatch()
    youth_task = archive.list_tasks(clerk(Department.YOUTH_OFFICE))[0]
    archive.change_task(
        youth_task.id,
        TaskChange(action=TaskAction.FORWARD, department=Department.JOBCENTRE, note="SGB II"),
        clerk(Department.YOUTH_OFFICE),
    )
    controller, inbox = smtp
    settings = config(
        tmp_path,
        f"version: 1\nbase_url: https://dach.example\nsmtp: {{host: 127.0.0.1, port: {controller.port}, "
        "sender: dach@landkreis.example}\ndigest: {jobcentre: jobcenter@landkreis.example}\n",
    )
    assert send_digests(archive, settings, date.today()) == 1
    (raw,) = inbox.messages
    mail = message_from_bytes(raw)
    assert mail["To"] == "jobcenter@landkreis.example"
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Leistungen nach SGB II prüfen" in body and "2 offene Aufgaben" in body
    assert f"https://dach.example/tasks/{youth_task.id}" in body
    assert label("type", DocumentType.RESIDENCE_PERMIT) in body  # the job centre reads residence permits
    assert label("type", DocumentType.BIRTH_CERTIFICATE) not in body  # but not birth certificates
    for personal in ("KOVALENKO", "OLEKSANDR", "MARIA", "1985", "2015"):
        assert personal not in body


def test_signed_webhooks_are_retried_with_back_off_and_logged(
    archive: Archive, filer: Filer, receiver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DACH_TEST_HOOK_SECRET", "s3cr3t")
    filer.file(DocumentType.REGISTRATION_CERTIFICATE, number="MB-1", born="2015-01-01", given="MARIA")
    archive.dispatch()
    settings = config(
        tmp_path,
        f"version: 1\nwebhooks:\n- {{name: jc, url: '{receiver}', department: jobcentre, "
        "secret_env: DACH_TEST_HOOK_SECRET, max_attempts: 4, backoff_s: 60}\n",
    )
    now = datetime.now(UTC)
    assert deliver_webhooks(archive, settings, now) == {"jc": 0}  # 503
    assert deliver_webhooks(archive, settings, now + timedelta(seconds=30)) == {"jc": 0}  # backing off: no call
    assert len(Receiver.received) == 1
    assert deliver_webhooks(archive, settings, now + timedelta(seconds=61)) == {"jc": 0}  # 503 again
    assert deliver_webhooks(archive, settings, now + timedelta(seconds=61 + 119)) == {"jc": 0}  # 2nd pause: 120 s
    assert deliver_webhooks(archive, settings, now + timedelta(seconds=61 + 121)) == {"jc": 1}
    assert deliver_webhooks(archive, settings, now + timedelta(seconds=1000)) == {"jc": 0}, "delivered once"
    assert len(Receiver.received) == 3
    headers, body = Receiver.received[-1]
    expected = hmac.new(b"s3cr3t", headers["x-dach-timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-dach-signature"] == f"sha256={expected}"
    sent = json.loads(body)
    assert sent["event"] == "document_filed" and sent["document_type"] == "registration_certificate"
    assert "MARIA" not in body.decode()
    with transaction(archive._sessions) as session:
        (log,) = session.scalars(select(WebhookDelivery))
        assert (log.status, log.attempts, log.last_error) == ("delivered", 3, "")


def test_notification_settings_are_strict(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        config(tmp_path, "version: 1\ndigest: {jobcenter: a@b.c}\nsmtp: {host: x, sender: a@b.c}\n")
    with pytest.raises(ConfigError):
        config(tmp_path, "version: 1\ndigest: {jobcentre: a@b.c}\n")  # recipients but no server
    assert config(tmp_path, "version: 1\n").webhooks == ()


def test_a_webhook_tells_a_department_nothing_of_a_document_it_may_not_read(
    archive: Archive, filer: Filer, receiver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not its type, and not that it exists: the job centre reads no birth certificates and no passports, so
    its system is not told that one was filed for a person (the delivery is withheld and logged as such);
    what it may read is delivered and audited as read by the job centre."""
    monkeypatch.setenv("DACH_TEST_HOOK_SECRET", "s3cr3t")
    Receiver.failures_left = 0
    birth = filer.file(DocumentType.BIRTH_CERTIFICATE, number="GU-1", born="2015-01-01", given="MARIA")
    passport = filer.file(DocumentType.PASSPORT)
    permit = filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    archive.dispatch()
    settings = config(
        tmp_path,
        f"version: 1\nwebhooks:\n- {{name: jc, url: '{receiver}', department: jobcentre, "
        "secret_env: DACH_TEST_HOOK_SECRET, max_attempts: 4, backoff_s: 60}\n",
    )
    deliver_webhooks(archive, settings, datetime.now(UTC))
    bodies = [json.loads(body) for _, body in Receiver.received]
    sent_ids = {b["document_id"] for b in bodies}
    assert permit.document_id in sent_ids
    assert birth.document_id not in sent_ids and passport.document_id not in sent_ids
    for body in Receiver.received:
        assert b"MARIA" not in body[1] and b"birth_certificate" not in body[1] and b"passport" not in body[1]
    with transaction(archive._sessions) as session:
        statuses = {d.event_seq: d.status for d in session.scalars(select(WebhookDelivery))}
    assert sorted(statuses.values()).count("withheld") >= 2
    assert deliver_webhooks(archive, settings, datetime.now(UTC) + timedelta(hours=1)) == {"jc": 0}, "never retried"
    reads = [e for e in archive.audit_log(ADMIN, limit=500) if e.action == "webhook"]
    assert {e.object_id for e in reads} >= {permit.document_id}
    assert not {e.object_id for e in reads} & {birth.document_id, passport.document_id}
    assert {e.actor for e in reads} == {"notify:jobcentre"}
