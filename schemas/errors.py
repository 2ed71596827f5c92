"""dach's one error hierarchy.

Every error carries a stable `code` (used in `dach extract --json`, the API and quarantine records) and a
message that says what is wrong *and what to do about it*. Library errors are wrapped at the room boundary
with `raise ... from exc`.

Whether to retry is decided here, once: `TransientError` (a timeout, a store briefly down) is retried by the
flows; `InputRejected` (bad input) is quarantined at once and never retried.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """`dach extract` and `dach intake` exit 0 when every file was filed, 1 when some files were rejected (the
    others were processed), 2 when the run itself failed (nothing or not everything was done; see the report)."""

    OK = 0
    REJECTED = 1  # at least one input file was rejected (the others were processed)
    USAGE = 2
    RUN_FAILED = 2  # the run itself failed (store or database down for good, disk full, a bug)
    CONFIG = 3
    MISSING_DEPENDENCY = 4
    STORAGE = 5
    ACCESS_DENIED = 6
    INTEGRITY = 7
    INTERNAL = 15


class DachError(Exception):
    """Base of every error dach raises on purpose."""

    code: str = "error"
    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- bad input: quarantined at once, never retried ---------------------------------------------------


class InputRejected(DachError):
    """The file cannot be processed as it is. It is kept in quarantine with this reason."""

    code = "input_rejected"
    exit_code = ExitCode.REJECTED


class EmptyFile(InputRejected):
    code = "empty_file"


class FileTooLarge(InputRejected):
    code = "file_too_large"


class UnsupportedFormat(InputRejected):
    code = "unsupported_format"


class ExecutableFile(UnsupportedFormat):
    code = "executable_file"


class CorruptFile(InputRejected):
    code = "corrupt_file"


class TruncatedPdf(CorruptFile):
    code = "truncated_pdf"


class EncryptedPdf(InputRejected):
    code = "encrypted_pdf"


class TooManyPages(InputRejected):
    code = "too_many_pages"


class ImageTooLarge(InputRejected):
    """Too many pixels: a decompression bomb or an absurd scan resolution."""

    code = "image_too_large"


class ResourceLimit(InputRejected):
    """Parsing the file needed more memory, CPU time or wall time than a file may: a crafted file (a PDF of
    nested forms, tens of thousands of text lines) or a scan far beyond what a desk scanner makes."""

    code = "resource_limit"


class NotRegularFile(InputRejected):
    """A symbolic link, a device, a pipe or a socket: intake reads only regular files, never what they point at."""

    code = "not_regular_file"


class BadFileName(InputRejected):
    """A file name that is not valid UTF-8 (a scanner or a copy from an old system): the file is kept and
    shown with its name escaped; rename it and hand it in again."""

    code = "bad_file_name"


class PageTimeout(InputRejected):
    """A page took longer than the per-page limit even after a retry."""

    code = "page_timeout"


# --- transient: retried with backoff ------------------------------------------------------------------


class TransientError(DachError):
    """Worth retrying: the same call may succeed a moment later."""

    code = "transient"
    exit_code = ExitCode.STORAGE


class ProgramTimeout(TransientError):
    code = "program_timeout"


class ProgramKilled(TransientError):
    """An external program was killed by a signal it did not get from us (the out-of-memory killer, an
    operator, a stopped container): not the input's fault, so the work is retried."""

    code = "program_killed"


class StoreUnavailable(TransientError):
    code = "store_unavailable"


class StorageFull(StoreUnavailable):
    """The data folder's file system is full: not the file's fault, so it is not quarantined; the batch stops
    cleanly and a re-run, once space is freed, reads it (a full disk quarantined good files before)."""

    code = "storage_full"


# --- environment and configuration -------------------------------------------------------------------


class ConfigError(DachError):
    code = "config_error"
    exit_code = ExitCode.CONFIG


class MissingDependency(DachError):
    code = "missing_dependency"
    exit_code = ExitCode.MISSING_DEPENDENCY


class ProgramFailed(DachError):
    """An external program exited with an error that is not known to be the input's fault."""

    code = "program_failed"


class ModelError(DachError):
    """A shipped model file is missing or of the wrong format version."""

    code = "model_error"
    exit_code = ExitCode.CONFIG


# --- the record ---------------------------------------------------------------------------------------


class StorageError(DachError):
    code = "storage_error"
    exit_code = ExitCode.STORAGE


class NotFound(StorageError):
    code = "not_found"


class ObjectLocked(StorageError):
    """The object store refuses: the object is under legal hold or still retained (WORM)."""

    code = "object_locked"


class IntegrityError(StorageError):
    """Stored bytes no longer match their checksum, or the audit chain is broken."""

    code = "integrity_error"
    exit_code = ExitCode.INTEGRITY


class XdomeaInvalid(InputRejected):
    """An xdomea message that does not validate against the 3.1.0 schemas (or is not the one expected)."""

    code = "xdomea_invalid"


class EvidenceError(DachError):
    """Scan evidence (Transfervermerk) could not be sealed: key or timestamp authority unusable."""

    code = "evidence_error"
    exit_code = ExitCode.CONFIG


class AccessDenied(DachError):
    code = "access_denied"
    exit_code = ExitCode.ACCESS_DENIED


class InvalidRequest(DachError):
    """A request to the record that cannot be carried out as asked (unknown field, missing reason, taken name)."""

    code = "invalid_request"
    exit_code = ExitCode.USAGE


class Conflict(InvalidRequest):
    """The request was based on a state of the record that has changed meanwhile (another clerk was faster)."""

    code = "conflict"


# --- the intake queue ----------------------------------------------------------------------------------


class FailedRepeatedly(DachError):
    """A file whose reading failed (or whose worker died) on every attempt: set aside instead of retried."""

    code = "failed_repeatedly"
    exit_code = ExitCode.REJECTED


# --- mail intake: a mail that is not taken in is kept with one of these reasons --------------------------------


class MailRejected(InputRejected):
    code = "mail_rejected"


class SenderNotAllowed(MailRejected):
    code = "sender_not_allowed"


class MalformedMail(MailRejected):
    code = "malformed_mail"


class NoAttachments(MailRejected):
    code = "no_attachments"
