"""The S3/MinIO object store backend, through the `minio` SDK.

The bucket is created with versioning and object lock, so an object, once written, cannot be overwritten or
deleted before its retention ends (governance mode: only an administrator with the bypass permission can).
Objects are content-addressed exactly as in the folder backend and checked on every read. A store that
cannot be reached raises `StoreUnavailable`, which the intake flow retries with backoff.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import time
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

#: Retention given to every object at upload; filing extends it per document type.
DEFAULT_RETENTION = timedelta(days=365)


class BucketMissing(StoreUnavailable):
    """The bucket is not there (any more): the run's trouble, not a file's."""

    code = "bucket_missing"


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


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
        if self._put_once(key, data, media_type):
            log.debug("stored %s (%d bytes) in %s", key, len(data), self.bucket)
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
        for _ in range(2):
            data = self._read(key)
            if content_key(data) == key:
                return data
            # Bytes that do not match their name: a garbled answer passes on a second read, a damaged object
            # does not (and is reported by `verify`).
            log.warning("%s read from %s did not match its checksum; reading it again", key, self.endpoint)
            time.sleep(self.retry_first_s)
        return verify(key, self._read(key))

    def exists(self, key: str) -> bool:
        return self._call(lambda: self._exists(key))

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
        def extend() -> None:
            try:
                current = self.client.get_object_retention(self.bucket, key)
                current_until = current.retain_until_date if current is not None else None
            except (ParseError, UnicodeDecodeError, ValueError, AttributeError):
                # Some S3 servers answer a retention read with an empty body (moto, for a retention set at
                # upload) or even with the object's bytes: the current retention is then unknown.
                current_until = None
            if isinstance(current_until, datetime) and current_until >= until:
                return
            try:
                self.client.set_object_retention(self.bucket, key, Retention(GOVERNANCE, until))
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

        def remove() -> None:
            versions = [
                DeleteObject(key, o.version_id)
                for o in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if o.object_name == key
            ]
            for error in self.client.remove_objects(self.bucket, versions, bypass_governance_mode=bypass_governance):
                raise StorageError(f"could not delete {key}: {error.code} {error.message}")

        self._call(remove)
