"""The S3/MinIO object store backend, through the `minio` SDK.

The bucket is created with versioning and object lock, so an object, once written, cannot be overwritten or
deleted before its retention ends (governance mode: only an administrator with the bypass permission can).
Objects are content-addressed exactly as in the folder backend and checked on every read. A store that
cannot be reached raises `StoreUnavailable`, which the intake flow retries with backoff.

Filing one document used to cost about 30 requests a page, most of them asking again what this process had
just been told: a look (HEAD) at each object it had written a moment before, the original read three times,
each retention read before it was extended, the original's retention set twice when a file is one document.
The flows' store (`remember=True`, `flows.runtime.archive_for`) now remembers, for `RECENT_S` seconds, the
objects it wrote, read or saw (`_Recent`): a look at one of them is answered from memory, and so is a read of
one of the last few megabytes it wrote or read (the name is the SHA-256 of the bytes, so the bytes cannot have
changed). Retention is remembered as it was set: a retention this process set (or read) that already reaches
far enough is not set again, and an object this process wrote (its retention is the upload's year) is
extended without reading its retention first; a refusal falls back to the read. What an answer from memory
can miss is a change on the server in those seconds, to an object this very process is filing: a deletion by
an archive administrator, or damage, which `dach audit verify` finds. Every other store (the web, the CLI,
the integrity check) asks the server every time.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from xml.etree.ElementTree import ParseError

import urllib3
from minio import Minio
from minio.commonconfig import GOVERNANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error, ServerError
from minio.retention import Retention

from schemas.errors import NotFound, ObjectLocked, StorageError, StoreUnavailable
from storage.objects import StoredObject, check_named_key, content_key, digest_of, verify

log = logging.getLogger(__name__)

T = TypeVar("T")
V = TypeVar("V")

#: Retention given to every object at upload; filing extends it per document type.
DEFAULT_RETENTION = timedelta(days=365)


class BucketMissing(StoreUnavailable):
    """The bucket is not there (any more): the run's trouble, not a file's."""

    code = "bucket_missing"


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


RECENT_S = 30.0  # how long the flows' store remembers an object it wrote, read or saw (`remember=True`)
RECENT_BYTES = 32 * 1024 * 1024  # the bytes of the most recent objects kept for a second read, at most this much
RECENT_KEYS = 4096


class _Recent:
    """What a store that remembers knows about objects without asking, for `keep_s` seconds: which it wrote,
    read or saw (and the bytes of the latest, up to `RECENT_BYTES`), which it wrote itself (their retention is
    the upload's), and the retention it set or read on each. Shared by the threads of a worker. With `keep_s`
    0 it knows nothing: every question goes to the server."""

    def __init__(self, keep_s: float) -> None:
        self.keep_s = keep_s
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._data: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._data_size = 0
        self._written: OrderedDict[str, float] = OrderedDict()
        self._retained: OrderedDict[str, tuple[float, datetime]] = OrderedDict()

    @staticmethod
    def _put(table: OrderedDict[str, V], key: str, entry: V) -> None:
        table[key] = entry
        table.move_to_end(key)
        while len(table) > RECENT_KEYS:
            table.popitem(last=False)

    def _fresh(self, at: float | None) -> bool:
        return at is not None and time.monotonic() - at < self.keep_s

    def saw(self, key: str, data: bytes | None = None) -> None:
        if not self.keep_s:
            return
        now = time.monotonic()
        with self._lock:
            self._put(self._seen, key, now)
            if data is not None and len(data) <= RECENT_BYTES // 4:
                old = self._data.pop(key, None)
                self._data_size -= len(old[1]) if old else 0
                self._data[key] = (now, data)
                self._data_size += len(data)
                while self._data_size > RECENT_BYTES:
                    _, (_, dropped) = self._data.popitem(last=False)
                    self._data_size -= len(dropped)

    def there(self, key: str) -> bool:
        with self._lock:
            return self._fresh(self._seen.get(key))

    def bytes_of(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._data.get(key)
        return entry[1] if entry is not None and self._fresh(entry[0]) else None

    def wrote(self, key: str) -> None:
        if self.keep_s:
            with self._lock:
                self._put(self._written, key, time.monotonic())

    def written(self, key: str) -> bool:
        with self._lock:
            return self._fresh(self._written.get(key))

    def retained(self, key: str, until: datetime | None = None) -> datetime | None:
        """The retention this process set or read on `key` lately; with `until`, remember that one."""
        with self._lock:
            if until is not None and self.keep_s:
                self._put(self._retained, key, (time.monotonic(), until))
            entry = self._retained.get(key)
            return entry[1] if entry is not None and self._fresh(entry[0]) else None

    def forget(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)
            old = self._data.pop(key, None)
            self._data_size -= len(old[1]) if old else 0
            self._written.pop(key, None)
            self._retained.pop(key, None)


class S3ObjectStore:
    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        secure: bool = False,
        region: str = "us-east-1",
        timeout_s: float = 10.0,
        retry_budget_s: float = 30.0,
        remember: bool = False,
    ) -> None:
        self.retry_first_s = 0.5
        self.retry_budget_s = retry_budget_s
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout_s, read=timeout_s * 3),
            retries=urllib3.Retry(total=1, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
            maxsize=16,
        )
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        self.endpoint = endpoint
        self.bucket = bucket
        self._recent = _Recent(RECENT_S if remember else 0.0)
        self._call(self._ensure_bucket)

    def describe(self) -> str:
        return f"s3 {self.endpoint}/{self.bucket}"

    def _call(self, fn: Callable[[], T]) -> T:
        """Run one SDK call, retried with back-off while the store is unavailable (every call here is
        idempotent: content-addressed writes, reads, retention extensions); then `StoreUnavailable`."""
        delay = self.retry_first_s
        waited = 0.0
        while True:
            try:
                return self._call_once(fn)
            except StoreUnavailable as exc:
                if waited + delay > self.retry_budget_s:
                    raise
                if not (isinstance(exc, BucketMissing) and self._made_again(exc)):  # a bucket made again: at once
                    log.warning("object store unavailable (%s); retrying in %.1f s", exc, delay)
                    time.sleep(delay)
                waited += delay
                delay = min(delay * 2, 10.0)

    def _made_again(self, gone: BucketMissing) -> bool:
        """Made at start-up, yet gone: its creation was answered by something that was not the server (a garbled
        answer taken for "made"), or the server restarted empty. Not any file's fault: made again here."""
        log.warning("%s; creating it again", gone)
        try:
            self._call_once(self._ensure_bucket)
        except StoreUnavailable:
            return False  # the store is still unwell: wait as for any outage
        return True

    def _call_once(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (ParseError, UnicodeDecodeError, ValueError) as exc:
            # An answer that is not S3's (a proxy's error page, a half-restarted server, a peer answering a
            # retention read with the object's bytes): the store is not usable right now.
            raise StoreUnavailable(
                f"the object store {self.endpoint} gave an answer that is not S3 ({exc.__class__.__name__}); "
                "it will be retried."
            ) from exc
        except ServerError as exc:
            raise StoreUnavailable(
                f"the object store {self.endpoint} answered {exc.status_code}; it will be retried."
            ) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise StoreUnavailable(
                f"cannot reach the object store at {self.endpoint} ({exc.__class__.__name__}); "
                "check that MinIO "
                "is running and DACH_S3_ENDPOINT is right. The intake retries by itself."
            ) from exc
        except S3Error as exc:
            if exc.code == "NoSuchBucket":
                raise BucketMissing(f"the bucket {self.bucket} is not in the object store {self.endpoint}") from exc
            if exc.code in {"NoSuchKey", "NoSuchVersion"}:
                raise NotFound(f"object {exc.object_name} is not in bucket {self.bucket}.") from exc
            if exc.code in {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}:
                raise StorageError(
                    f"the object store refused access ({exc.code}); check DACH_S3_ACCESS_KEY and DACH_S3_SECRET_KEY."
                ) from exc
            raise StorageError(f"the object store failed: {exc.code}: {exc.message}") from exc

    def _ensure_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            log.info("creating bucket %s with versioning and object lock", self.bucket)
            self.client.make_bucket(self.bucket, object_lock=True)

    def _exists(self, key: str) -> bool:
        try:
            found = self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in {"NoSuchKey", "NoSuchVersion", "NoSuchObject"}:
                return False
            raise
        if not found.etag:
            # A "200 OK" without S3's headers (a proxy, a half-restarted server) is no proof the object is there.
            raise StoreUnavailable(f"the object store {self.endpoint} answered a look at {key} without its headers")
        return True

    def _put_once(self, key: str, data: bytes, media_type: str) -> bool:
        def put() -> bool:
            if self._exists(key):
                return False
            until = datetime.now(UTC) + DEFAULT_RETENTION
            written = self.client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=media_type,
                # Object lock requires an upload checksum; SHA-256 also lets the server verify the bytes.
                metadata={
                    "x-amz-sdk-checksum-algorithm": "SHA256",
                    "x-amz-checksum-sha256": _b64_sha256(data),
                },
                retention=Retention(GOVERNANCE, until),
            )
            if not written.etag:
                # A "200 OK" that is not S3's (a proxy, a half-restarted server) names no ETag; the bytes never
                # arrived, and the file's reading later found its original missing. Not a write: retried.
                raise StoreUnavailable(
                    f"the object store {self.endpoint} did not acknowledge the write of {key} (no ETag); "
                    "it will be retried."
                )
            return True

        return self._call(put)

    def put(self, data: bytes, media_type: str = "application/octet-stream") -> str:
        key = content_key(data)
        if self._recent.there(key):
            return key
        if self._put_once(key, data, media_type):
            self._recent.wrote(key)
            log.debug("stored %s (%d bytes) in %s", key, len(data), self.bucket)
        self._recent.saw(key, data)
        return key

    def _read(self, key: str) -> bytes:
        def read() -> bytes:
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call(read)

    def get(self, key: str) -> bytes:
        digest_of(key)
        known = self._recent.bytes_of(key)
        if known is not None:
            return known
        for _ in range(2):
            data = self._read(key)
            if content_key(data) == key:
                self._recent.saw(key, data)
                return data
            # Bytes that do not match their name: a garbled answer passes on a second read, a damaged object
            # does not (and is reported by `verify`).
            log.warning("%s read from %s did not match its checksum; reading it again", key, self.endpoint)
            time.sleep(self.retry_first_s)
        return verify(key, self._read(key))

    def exists(self, key: str) -> bool:
        if self._recent.there(key):
            return True
        found = self._call(lambda: self._exists(key))
        if found:
            self._recent.saw(key)
        return found

    def put_named(self, key: str, data: bytes) -> None:
        self._put_once(check_named_key(key), data, "application/json")

    def get_named(self, key: str) -> bytes:
        return self._read(check_named_key(key))

    def list(self, prefix: str) -> Iterator[StoredObject]:
        def listing() -> list[StoredObject]:
            return [
                StoredObject(o.object_name or "", o.last_modified or datetime.now(UTC), o.size or 0)
                for o in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            ]

        yield from sorted(self._call(listing), key=lambda o: o.key)

    def _retained_until(self, key: str) -> datetime | None:
        def read() -> datetime | None:
            try:
                current = self.client.get_object_retention(self.bucket, key)
            except (ParseError, UnicodeDecodeError):
                return None
            return current.retain_until_date if current is not None else None

        return self._call(read)

    def retain(self, key: str, until: datetime) -> None:
        known = self._recent.retained(key)
        if known is not None and known >= until:
            return  # this process set (or read) a retention that reaches far enough
        if known is not None or self._recent.written(key):
            # Kept at least as long as this process set it, or the upload's year: extended without asking first.
            # A refusal (someone kept it longer meanwhile: governance mode refuses to shorten) reads it below.
            try:
                self._call(lambda: self.client.set_object_retention(self.bucket, key, Retention(GOVERNANCE, until)))
            except StorageError:
                pass
            else:
                self._recent.retained(key, until)
                return

        def extend() -> None:
            try:
                current = self.client.get_object_retention(self.bucket, key)
                current_until = current.retain_until_date if current is not None else None
            except (ParseError, UnicodeDecodeError, ValueError, AttributeError):
                # Some S3 servers answer a retention read with an empty body (moto, for a retention set at
                # upload) or even with the object's bytes: the current retention is then unknown.
                current_until = None
            if isinstance(current_until, datetime) and current_until >= until:
                self._recent.retained(key, current_until)
                return
            try:
                self.client.set_object_retention(self.bucket, key, Retention(GOVERNANCE, until))
                self._recent.retained(key, until)
            except S3Error as exc:
                if current_until is not None:
                    raise
                # Unknown and refused: governance mode refuses only to shorten, so it is kept longer already.
                log.warning("retention of %s not extended (%s): it is kept longer already", key, exc.code)

        self._call(extend)

    def hold(self, key: str, on: bool) -> None:
        def apply() -> None:
            if on:
                self.client.enable_object_legal_hold(self.bucket, key)
            else:
                self.client.disable_object_legal_hold(self.bucket, key)

        self._call(apply)
        if self.held(key) is not on:  # servers differ (moto, MinIO): trust only what reads back
            raise StorageError(f"the object store did not {'set' if on else 'lift'} the legal hold on {key}.")

    def held(self, key: str) -> bool:
        def read() -> bool:
            try:
                return bool(self.client.is_object_legal_hold_enabled(self.bucket, key))
            except (ParseError, UnicodeDecodeError, ValueError):
                return False  # an answer without a hold configuration: none is set
            except S3Error as exc:
                if exc.code in {"NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError"}:
                    return False
                raise

        return self._call(read)

    def delete(self, key: str, *, bypass_governance: bool = False) -> None:
        # Checked here too, not left to the server alone: S3 servers differ in how they answer (moto, MinIO).
        if self.held(key):
            raise ObjectLocked(f"object {key} is under legal hold; lift the hold before deleting it.")
        if not bypass_governance:
            until = self._retained_until(key)
            if until is not None and until > datetime.now(UTC):
                raise ObjectLocked(f"object {key} is retained until {until:%Y-%m-%d}; it cannot be deleted before.")

        self._recent.forget(key)

        def remove() -> None:
            versions = [
                DeleteObject(key, o.version_id)
                for o in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if o.object_name == key
            ]
            for error in self.client.remove_objects(self.bucket, versions, bypass_governance_mode=bypass_governance):
                raise StorageError(f"could not delete {key}: {error.code} {error.message}")

        self._call(remove)
