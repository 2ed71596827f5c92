"""Mail intake against a real IMAP server on loopback (Debian's dovecot, started here with its own config and
passwd-file authentication): attachments through the door, the mail kept, rejected mails kept with the reason,
mails moved only after admission."""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from schemas.intake import AdmissionStatus, IntakeChannel
from schemas.record import Actor, Department, Role
from schemas.settings import OcrLimits, Settings
from tests.web.conftest import pdf_page

ADMIN = Actor(name="archiv", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE)
USER, PASSWORD = "eingang", "geheim-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _start(root: Path, port: int) -> None:
    # The daemon keeps inherited pipes open: give it none, or run() would wait for it.
    subprocess.run(
        ["dovecot", "-c", str(root / "dovecot.conf")],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=30,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("dovecot did not start: " + (root / "dovecot.log").read_text()[-2000:])


def _stop(root: Path) -> None:
    pid = root / "run" / "master.pid"
    if pid.exists():
        os.kill(int(pid.read_text()), signal.SIGTERM)
        for _ in range(50):
            if not pid.exists():
                return
            time.sleep(0.1)


@pytest.fixture
def imap() -> Iterator[tuple[Path, int]]:
    if shutil.which("dovecot") is None or os.geteuid() != 0:
        pytest.fail("the IMAP tests need Debian's dovecot-imapd and root (dovecot drops to its own users)")
    # Outside pytest's private temp tree: dovecot's own users must reach the config and the mail folders.
    root = Path(tempfile.mkdtemp(prefix="dach-dovecot-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    (root / "mail").chmod(0o777)
    port = _free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    _start(root, port)
    try:
        yield root, port
    finally:
        _stop(root)
        shutil.rmtree(root, ignore_errors=True)


def _mail(sender: str, subject: str, attachments: list[tuple[str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "eingang@landkreis.example"
    message["Subject"] = subject
    message.set_content("Anbei die Unterlagen.")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _deliver(port: int, mails: list[bytes]) -> None:
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login(USER, PASSWORD)
    for raw in mails:
        conn.append("INBOX", None, None, raw)
    conn.logout()


def _count(port: int, folder: str) -> int:
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login(USER, PASSWORD)
    status, data = conn.select(folder, readonly=True)
    conn.logout()
    return int(data[0] or 0) if status == "OK" else -1


def test_attachments_are_admitted_once_and_every_mail_is_kept_or_set_aside_with_its_reason(
    tmp_path: Path, imap: tuple[Path, int]
) -> None:
    from flows.mail import Mailbox, poll
    from storage import open_archive

    _root, port = imap
    archive = open_archive(Settings(data_dir=tmp_path / "var", limits=OcrLimits(max_file_bytes=200_000)))
    bescheid, pass_scan = pdf_page(["Bescheid"]), pdf_page(["Reisepass"])
    mails = [
        _mail(
            "Amt <post@jobcenter.example>", "Bescheid Kovalenko", [("bescheid.pdf", bescheid), ("pass.pdf", pass_scan)]
        ),
        _mail("someone@elsewhere.example", "Werbung", [("offer.pdf", bescheid)]),
        _mail("post@jobcenter.example", "ohne Anhang", []),
        _mail("post@jobcenter.example", "zu groß", [("riesig.pdf", b"%PDF-1.7\n" + b"0" * 300_000)]),
        b"\xff\xfe this is not a mail at all",
        _mail("post@jobcenter.example", "nochmal", [("bescheid-kopie.pdf", bescheid)]),
    ]
    _deliver(port, mails)
    box = Mailbox("127.0.0.1", port, USER, PASSWORD, allowed_senders=("@jobcenter.example",), ssl=False)

    outcomes = poll(archive, box)

    assert [o.error.code if o.error else None for o in outcomes] == [
        None,
        "sender_not_allowed",
        "no_attachments",
        None,
        "malformed_mail",
        None,
    ]
    first, big, again = (o.admission for o in outcomes if o.admission is not None)
    assert first is not None and big is not None and again is not None
    assert [f.status for f in first.files] == [AdmissionStatus.QUEUED, AdmissionStatus.QUEUED]
    assert [(f.status, f.error.code if f.error else None) for f in big.files] == [
        (AdmissionStatus.REJECTED, "file_too_large")
    ]
    assert [f.status for f in again.files] == [AdmissionStatus.DUPLICATE], "the same attachment is one file"
    progress = archive.batch_progress(
        first.batch_id, Actor(name="intake", role=Role.SYSTEM, department=Department.FRONT_DESK)
    )
    assert progress.channel == IntakeChannel.MAIL and [f.file for f in progress.files] == ["bescheid.pdf", "pass.pdf"]
    reasons = {q.error_code for q in archive.list_quarantine(ADMIN)}
    assert {"sender_not_allowed", "no_attachments", "malformed_mail", "file_too_large"} <= reasons
    kept = [q for q in archive.list_quarantine(ADMIN) if q.error_code == "sender_not_allowed"]
    stored = archive.get_object(str(kept[0].object_key))
    assert stored.replace(b"\r\n", b"\n") == mails[1], "the rejected mail is kept as the server gave it (CRLF)"
    assert (_count(port, "INBOX"), _count(port, "dach-done"), _count(port, "dach-rejected")) == (0, 3, 3)
    assert poll(archive, box) == [], "nothing is taken twice"


def test_a_mail_left_in_the_inbox_by_a_server_restart_is_admitted_once(tmp_path: Path, imap: tuple[Path, int]) -> None:
    """Admitted, then the server went away before the mail was moved: the next poll finds it again, and the
    door reports its attachment as a duplicate (none lost, none doubled)."""
    from flows.mail import Mailbox, admit_mail, poll
    from storage import open_archive

    root, port = imap
    archive = open_archive(Settings(data_dir=tmp_path / "var"))
    raw = _mail("post@jobcenter.example", "Bescheid", [("bescheid.pdf", pdf_page(["Bescheid"]))])
    _deliver(port, [raw])
    first = admit_mail(archive, raw, ())  # what a poll did before the server restarted
    _stop(root)
    _start(root, port)
    box = Mailbox("127.0.0.1", port, USER, PASSWORD, ssl=False)
    (outcome,) = poll(archive, box)
    assert first.admission is not None and outcome.admission is not None
    assert [f.status for f in outcome.admission.files] == [AdmissionStatus.DUPLICATE]
    assert outcome.admission.files[0].sha256 == first.admission.files[0].sha256
    assert (_count(port, "INBOX"), _count(port, "dach-done")) == (0, 1)
