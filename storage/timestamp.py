"""The one gateway to `openssl ts`: RFC 3161 timestamps for sealed scan evidence.

A query is made with `openssl ts -query` over a SHA-256 digest; the answer comes from a timestamp authority
over HTTP (`DACH_TSA_URL`, `application/timestamp-query`) or from a local command (`DACH_TSA_COMMAND`, e.g.
`openssl ts -reply -config /etc/dach/tsa.cnf`, given `-queryfile Q -out R`). A token is verified with
`openssl ts -verify` against the TSA's CA certificate (`DACH_TSA_CA_FILE`). Every call has a timeout, logs its
arguments at DEBUG through `dach.program.openssl`, and turns failures into dach errors.
"""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from schemas.errors import EvidenceError, MissingDependency, ProgramTimeout

log = logging.getLogger("dach.program.openssl")

TIMEOUT_S = 20.0


@dataclass(frozen=True)
class TsaConfig:
    url: str | None = None
    command: str | None = None
    ca_file: Path | None = None

    @property
    def configured(self) -> bool:
        return bool(self.url or self.command)

    def describe(self) -> str:
        return self.url or (shlex.split(self.command)[0] if self.command else "")


def _openssl() -> str:
    found = shutil.which("openssl")
    if found is None:
        raise MissingDependency("openssl is not installed; install the Debian package openssl (timestamps).")
    return found


def _run(
    args: list[str], *, timeout: float = TIMEOUT_S, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    log.debug("run %s", args)
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProgramTimeout(f"{args[0]} took longer than {timeout:.0f} s; the timestamp is retried later.") from exc
    if done.stderr:
        log.debug("stderr: %s", done.stderr.decode(errors="replace")[-500:])
    return done


def stamp(digest_hex: str, config: TsaConfig) -> bytes:
    """An RFC 3161 timestamp response (DER) over a SHA-256 digest."""
    with tempfile.TemporaryDirectory(prefix="dach-ts-") as tmp:
        query, reply = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
        made = _run([_openssl(), "ts", "-query", "-digest", digest_hex, "-sha256", "-cert", "-out", str(query)])
        if made.returncode != 0 or not query.is_file():
            raise EvidenceError(
                f"openssl could not make a timestamp query: {made.stderr.decode(errors='replace')[-200:]}"
            )
        if config.url:
            request = urllib.request.Request(
                config.url, data=query.read_bytes(), headers={"Content-Type": "application/timestamp-query"}
            )
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                    return bytes(response.read())
            except (urllib.error.URLError, OSError) as exc:
                raise EvidenceError(
                    f"the timestamp authority {config.url} did not answer ({exc}); check DACH_TSA_URL."
                ) from exc
        if not config.command:
            raise EvidenceError("no timestamp authority is configured; set DACH_TSA_URL or DACH_TSA_COMMAND.")
        done = _run([*shlex.split(config.command), "-queryfile", str(query), "-out", str(reply)])
        if done.returncode != 0 or not reply.is_file():
            raise EvidenceError(
                f"the local timestamp command failed ({done.returncode}): {done.stderr.decode(errors='replace')[-200:]}"
            )
        return reply.read_bytes()


def verify(token: bytes, digest_hex: str, config: TsaConfig) -> str | None:
    """None if the token is valid for the digest (and chains to the TSA's CA), else the reason."""
    if config.ca_file is None:
        return "no TSA CA certificate configured (DACH_TSA_CA_FILE); the timestamp cannot be checked"
    with tempfile.TemporaryDirectory(prefix="dach-ts-") as tmp:
        path = Path(tmp) / "r.tsr"
        path.write_bytes(token)
        done = _run(
            [_openssl(), "ts", "-verify", "-digest", digest_hex, "-in", str(path), "-CAfile", str(config.ca_file)]
        )
    if done.returncode == 0:
        return None
    problem = done.stderr.decode(errors="replace").strip().splitlines()
    return "timestamp invalid: " + (problem[-1][-160:] if problem else f"openssl exited {done.returncode}")


def stamped_at(token: bytes) -> str:
    """The time the authority put in the token ('' if unreadable), for display."""
    with tempfile.TemporaryDirectory(prefix="dach-ts-") as tmp:
        path = Path(tmp) / "r.tsr"
        path.write_bytes(token)
        done = _run([_openssl(), "ts", "-reply", "-in", str(path), "-text"])
    match = re.search(r"^Time stamp: (.+)$", done.stdout.decode(errors="replace"), re.MULTILINE)
    return match.group(1).strip() if match else ""
