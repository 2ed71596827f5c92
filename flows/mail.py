"""Mail intake: an IMAP mailbox (one per department, if wanted) whose mails' attachments become intake files.

`dach mail` polls a mailbox: each mail is fetched whole, its sender checked against the allow-list, the mail
itself kept in the object store as the original (`.eml`, its key, sender and subject recorded on every file it
brought), and each attachment handed to the intake door (channel `mail`), where it is checked by content like
any other file. Only after that is the mail moved to the done folder; a mail that is not taken in (a sender not
on the list, a malformed mail, a mail without attachments) is kept in quarantine with its reason and moved to
the rejected folder. A crash or a server restart between admission and the move leaves the mail in the inbox:
the next poll admits its attachments again, and the door reports them as duplicates, so nothing is lost or
doubled.
"""

from __future__ import annotations

import contextlib
import email
import imaplib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

from schemas.documents import ErrorInfo
from schemas.errors import DachError, InputRejected, MalformedMail, NoAttachments, SenderNotAllowed
from schemas.intake import BatchAdmission, IntakeChannel, Upload
from schemas.record import SYSTEM_ACTOR
from storage import Archive

log = logging.getLogger(__name__)

MAX_MAILS_PER_POLL = 50


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    done_folder: str = "dach-done"
    rejected_folder: str = "dach-rejected"
    allowed_senders: tuple[str, ...] = ()  # addresses or "@domain"; empty: every sender
    ssl: bool = True


@dataclass(frozen=True)
class MailOutcome:
    sender: str
    subject: str
    admission: BatchAdmission | None = None
    error: ErrorInfo | None = None


def allowed(sender: str, allow: Sequence[str]) -> bool:
    sender = sender.lower()
    if not allow:
        return True
    return any(sender == a.lower() or (a.startswith("@") and sender.endswith(a.lower())) for a in allow)


def _attachments(message: EmailMessage) -> list[Upload]:
    out: list[Upload] = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename() or f"attachment-{index}"
        try:
            data = part.get_payload(decode=True)
        except (ValueError, LookupError):  # a broken transfer encoding: the door rejects it as empty
            data = b""
        out.append(Upload(name=name[:1000], data=data if isinstance(data, bytes) else b""))
    return out


def admit_mail(archive: Archive, raw: bytes, allow: Sequence[str]) -> MailOutcome:
    """Take one mail in: its attachments through the door, the mail kept as their original; or, if it is not
    taken in, the mail kept in quarantine with the reason."""
    sender, subject = "", ""
    try:
        parsed = email.message_from_bytes(raw, policy=policy.default)
        if not isinstance(parsed, EmailMessage):
            raise MalformedMail("the mail could not be read as a message; ask the sender to send it again.")
        message: EmailMessage = parsed
        subject = str(message.get("Subject", "") or "")[:300]
        sender = parseaddr(str(message.get("From", "") or ""))[1]
        if not sender or "@" not in sender:
            raise MalformedMail("the mail has no readable sender (From); it is kept, but nothing was taken from it.")
        if not allowed(sender, allow):
            raise SenderNotAllowed(
                f"{sender} is not on this mailbox's list of senders; add the sender (dach mail --allow) if its "
                "mails belong here."
            )
        uploads = _attachments(message)
        if not uploads:
            raise NoAttachments("the mail has no attachments; scans must be attached as PDF, PNG, JPEG or TIFF.")
    except InputRejected as exc:
        error = ErrorInfo(code=exc.code, message=exc.message)
        archive.quarantine(raw, f"{subject or 'mail'}.eml", error, None)
        log.info("mail from %r rejected: %s", sender, exc.code)
        return MailOutcome(sender, subject, error=error)
    except (ValueError, LookupError, TypeError, IndexError) as exc:  # the parser gave up on the message
        error = ErrorInfo(code=MalformedMail.code, message=f"the mail could not be read ({type(exc).__name__}).")
        archive.quarantine(raw, "mail.eml", error, None)
        return MailOutcome(sender, subject, error=error)
    mail_key = archive.put_original(raw)
    details = {"sender": sender, "subject": subject, "mail_key": mail_key, "message_id": str(message["Message-ID"])}
    admission = archive.admit(uploads, IntakeChannel.MAIL, SYSTEM_ACTOR, details=details)
    return MailOutcome(sender, subject, admission=admission)


def _move(conn: imaplib.IMAP4, uid: str, folder: str) -> None:
    status, _ = conn.uid("MOVE", uid, folder)
    if status != "OK":  # a server without MOVE
        conn.uid("COPY", uid, folder)
        conn.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        conn.expunge()


def poll(archive: Archive, mailbox: Mailbox, *, limit: int = MAX_MAILS_PER_POLL) -> list[MailOutcome]:
    """One look into the mailbox: every mail taken in (or set aside) and moved, oldest first."""
    conn = (imaplib.IMAP4_SSL if mailbox.ssl else imaplib.IMAP4)(mailbox.host, mailbox.port, timeout=60)
    outcomes: list[MailOutcome] = []
    try:
        conn.login(mailbox.user, mailbox.password)
        for folder in (mailbox.done_folder, mailbox.rejected_folder):
            conn.create(folder)  # "already exists" is an answer, not an error
        status, _ = conn.select(mailbox.folder)
        if status != "OK":
            raise OSError(f"cannot open folder {mailbox.folder} of {mailbox.user}@{mailbox.host}")
        _, found = conn.uid("SEARCH", "ALL")
        for uid in (found[0] or b"").decode("ascii").split()[:limit]:
            status, data = conn.uid("FETCH", uid, "(RFC822)")
            parts = [p for p in data if isinstance(p, tuple)]
            if status != "OK" or not parts:
                continue
            outcome = admit_mail(archive, bytes(parts[0][1]), mailbox.allowed_senders)
            _move(conn, uid, mailbox.done_folder if outcome.error is None else mailbox.rejected_folder)
            outcomes.append(outcome)
        conn.close()
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()
    return outcomes


def watch(archive: Archive, mailbox: Mailbox, stop: threading.Event, *, every_s: float = 30.0) -> None:
    """Poll until `stop` is set; a server that is away is tried again at the next poll (nothing is lost: mails
    leave the inbox only after their files were admitted)."""
    while not stop.is_set():
        try:
            poll(archive, mailbox)
        except (imaplib.IMAP4.error, OSError, DachError) as exc:
            log.warning("mailbox %s@%s: %s", mailbox.user, mailbox.host, exc)
        stop.wait(every_s)
