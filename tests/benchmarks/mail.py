"""Mail intake at volume: 100 mails through a real IMAP server (Debian's dovecot on loopback) into `dach mail`.

    python -m tests.benchmarks.mail [--mails 100] [--restarts 2] [--seed 100900] [--idle 180]

The mails carry 0-5 attachments each (small born-digital PDFs, some sent again in a later mail), and among them
a malformed mail, mails from a sender not on the list, mails without attachments and an attachment over the
size limit. `dach mail` (the process compose runs, polling every second) takes them from the mailbox into a
fresh PostgreSQL database while the IMAP server is stopped and started again `--restarts` times. Reported:
every attachment admitted exactly once (one `queued` admission per distinct attachment), the rejected mails
kept in quarantine with their reason, every mail in the done or the rejected folder and none left in the inbox,
and how many attachments a restart made the door see twice (reported as duplicates, not doubled). `--idle S`:
then the CPU-s a poller at the default interval (every 30 s) spends over S seconds on the emptied mailbox.
Needs root (dovecot drops to its own users) and PostgreSQL on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import hashlib
import imaplib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.benchmarks.scaleout import session_cpu_seconds
from tests.flows.test_mail import CONFIG, PASSWORD, USER, _count, _deliver, _free_port, _mail, _start, _stop
from tests.web.conftest import pdf_page

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG = "postgresql://postgres@127.0.0.1:5432"
ALLOWED = "@jobcenter.example"
MAX_FILE_BYTES = 200_000


@dataclass
class Mailing:
    """The mails as sent, and what the intake must make of them."""

    raws: list[bytes] = field(default_factory=list)
    admitted: set[str] = field(default_factory=set)  # SHA-256 of attachments to queue
    too_large: set[str] = field(default_factory=set)
    rejected_mails: Counter[str] = field(default_factory=Counter)  # reason -> mails
    accepted_mails: int = 0
    attachments: int = 0


def build(count: int, seed: int) -> Mailing:
    rng = random.Random(seed)
    out = Mailing()
    sent: list[tuple[str, bytes]] = []
    for i in range(count):
        if i == 3:
            out.raws.append(b"\xff\xfe this is not a mail at all " + secrets.token_bytes(8))
            out.rejected_mails["malformed_mail"] += 1
            continue
        sender = "post@jobcenter.example" if i % 17 != 5 else f"werbung{i}@elsewhere.example"
        attachments: list[tuple[str, bytes]] = []
        for j in range(rng.randint(0, 5)):
            if sent and rng.random() < 0.1:  # the same scan again, in another mail
                attachments.append(rng.choice(sent))
                continue
            attachments.append((f"scan-{i}-{j}.pdf", pdf_page([f"Bescheid {seed}-{i}-{j}", f"Seite {j + 1}"])))
        if i == 11:
            attachments.append(("riesig.pdf", b"%PDF-1.7\n" + b"0" * (MAX_FILE_BYTES + 1000)))
        out.raws.append(_mail(f"Amt <{sender}>", f"Unterlagen {i}", attachments))
        if not sender.endswith(ALLOWED):
            out.rejected_mails["sender_not_allowed"] += 1
        elif not attachments:
            out.rejected_mails["no_attachments"] += 1
        else:
            out.accepted_mails += 1
            out.attachments += len(attachments)
            for name, data in attachments:
                sha = hashlib.sha256(data).hexdigest()
                (out.too_large if name == "riesig.pdf" else out.admitted).add(sha)
                sent.append((name, data))
    return out


def _query(db: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        return [tuple(r) for r in conn.execute(sql)]


def run(count: int, restarts: int, seed: int, idle: float = 0.0) -> dict[str, object]:
    if shutil.which("dovecot") is None or os.geteuid() != 0:
        raise SystemExit("needs Debian's dovecot-imapd and root (dovecot drops to its own users)")
    mailing = build(count, seed)
    root = Path(tempfile.mkdtemp(prefix="dach-mail-bench-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    (root / "mail").chmod(0o777)
    port = _free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    db = f"dach_mail_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    env = {
        **os.environ,
        "DACH_DATA_DIR": str(root / "var"),
        "DACH_DATABASE_URL": f"{PG}/{db}",
        "DACH_LIMITS__MAX_FILE_BYTES": str(MAX_FILE_BYTES),
        "DACH_MAIL_PASSWORD": PASSWORD,
    }
    args = ["--host", "127.0.0.1", "--port", str(port), "--user", USER, "--no-tls", "--every", "1", "--allow", ALLOWED]
    proc: subprocess.Popen[bytes] | None = None
    _start(root, port)
    try:
        _deliver(port, mailing.raws)
        log = (root / "dach-mail.log").open("wb")
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(BIN / "dach"), "mail", *args], env=env, stdout=log, stderr=log, start_new_session=True
        )
        done_restarts = 0
        deadline = time.monotonic() + 1800
        while True:
            time.sleep(0.2)
            try:
                left = _count(port, "INBOX")
            except (OSError, imaplib.IMAP4.error):
                continue
            if left == 0:
                break
            # Stop and start the server while mails are being taken: at each (k / (restarts+1)) of the box.
            if done_restarts < restarts and left <= count * (restarts - done_restarts) / (restarts + 1):
                _stop(root)
                time.sleep(2.0)
                _start(root, port)
                done_restarts += 1
            if time.monotonic() > deadline:
                raise RuntimeError(f"{left} mails still in the inbox after 30 min")
        seconds = time.monotonic() - started
        folders = {f: _count(port, f) for f in ("INBOX", "dach-done", "dach-rejected")}
        cpu_s = session_cpu_seconds(proc.pid)
        idle_cpu_s = _idle_poller(env, args, root, idle) if idle else None
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        _stop(root)
    files = {str(sha): str(status) for sha, status in _query(db, "SELECT sha256, status FROM intake_files")}
    queued_admissions = Counter(
        str(sha) for (sha,) in _query(db, "SELECT sha256 FROM intake_entries WHERE admission = 'queued'")
    )
    entries = Counter(str(sha) for (sha,) in _query(db, "SELECT sha256 FROM intake_entries"))
    reasons = Counter(str(code) for (code,) in _query(db, "SELECT error_code FROM quarantine"))
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(root, ignore_errors=True)

    expected = mailing.admitted | mailing.too_large
    return {
        "mails": count,
        "accepted_mails": mailing.accepted_mails,
        "rejected_mails_by_reason": dict(mailing.rejected_mails),
        "attachments_in_accepted_mails": mailing.attachments,
        "distinct_attachments": len(expected),
        "imap_restarts": done_restarts,
        "seconds": round(seconds, 1),
        "cpu_s_dach_mail": round(cpu_s, 2),
        "cpu_s_per_mail": round(cpu_s / count, 3),
        # a second poller at the default interval on the emptied mailbox: what an idle mail intake costs
        "idle_seconds": idle,
        "idle_cpu_s_dach_mail": None if idle_cpu_s is None else round(idle_cpu_s, 2),
        "idle_share_of_a_core": None if idle_cpu_s is None else round(idle_cpu_s / idle, 4),
        "folders": folders,
        "every_attachment_admitted": expected <= set(files),
        "attachments_queued_more_than_once": sum(1 for n in queued_admissions.values() if n > 1),
        "attachments_queued_never": len(mailing.admitted - set(queued_admissions)),
        "unexpected_files": len(set(files) - expected),
        "too_large_rejected_at_the_door": len([s for s in mailing.too_large if files.get(s) == "quarantined"]),
        "entries_beyond_one_per_attachment_sent": sum(entries.values()) - mailing.attachments,
        "quarantine_entries_by_reason": dict(reasons),
        "every_mail_moved": folders["INBOX"] == 0 and folders["dach-done"] + folders["dach-rejected"] == count,
        "done_matches_accepted": folders["dach-done"] == mailing.accepted_mails,
    }


def _idle_poller(env: dict[str, str], args: list[str], root: Path, seconds: float) -> float:
    """CPU-s of `dach mail` at its default interval over `seconds` of an empty mailbox (after its first poll)."""
    every = args.index("--every")
    default_args = args[:every] + args[every + 2 :]
    log = (root / "dach-mail-idle.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "dach"), "mail", *default_args], env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        time.sleep(20.0)  # started, imported, first poll done
        before = session_cpu_seconds(proc.pid)
        time.sleep(seconds)
        return session_cpu_seconds(proc.pid) - before
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mails", type=int, default=100)
    parser.add_argument("--restarts", type=int, default=2, help="IMAP server restarts while mails are taken")
    parser.add_argument("--seed", type=int, default=100900)
    parser.add_argument("--idle", type=float, default=0.0, help="then measure an idle poller for this many seconds")
    args = parser.parse_args()
    print(json.dumps(run(args.mails, args.restarts, args.seed, args.idle), indent=2))


if __name__ == "__main__":
    main()
