"""BlobStore on S3: server-side encryption on every write, presigned URLs for clients.

An object appears whole or not at all (S3 PUT and completed multipart uploads are atomic),
which gives the same all-or-nothing contract as the file adapter's rename.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import ClientError

from ...ports import BlobStore, check_blob_key


def _missing(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in ("NoSuchKey", "404")


@contextmanager
def _not_found_as_error(key: str) -> Iterator[None]:
    """S3's "no such key" as the port's FileNotFoundError."""
    try:
        yield
    except ClientError as exc:
        if _missing(exc):
            raise FileNotFoundError(key) from None
        raise


class _FullReads:
    """Counts bytes and turns short reads into full ones: s3transfer takes a short read of a
    non-seekable stream for its end, which would cut a network stream short."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            data = self.stream.read()
        else:
            parts, want = [], n
            while want > 0:
                chunk = self.stream.read(want)
                if not chunk:
                    break
                parts.append(chunk)
                want -= len(chunk)
            data = b"".join(parts)
        self.size += len(data)
        return data


class S3BlobStore(BlobStore):
    def __init__(self, s3, bucket: str, sse: str = "AES256"):
        self.s3 = s3  # a boto3 S3 client
        self.bucket = bucket
        self.extra = {"ServerSideEncryption": sse}

    def put_stream(self, key: str, stream: BinaryIO) -> int:
        counted = _FullReads(stream)
        self.s3.upload_fileobj(counted, self.bucket, check_blob_key(key), ExtraArgs=self.extra)
        return counted.size

    def put_bytes(self, key: str, data: bytes) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=check_blob_key(key), Body=data, **self.extra)

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=check_blob_key(key))["Body"].read()
        except ClientError as exc:
            if _missing(exc):
                return None
            raise

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="blob-") as tmp:
            path = Path(tmp) / "blob"
            with _not_found_as_error(key):
                self.s3.download_file(self.bucket, check_blob_key(key), str(path))
            yield path

    def delete(self, key: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=check_blob_key(key))

    def delete_prefix(self, prefix: str) -> int:
        check_blob_key(prefix)
        count = 0
        for batch in self._pages(prefix):
            keys = [{"Key": k} for k in batch]
            if keys:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                count += len(keys)
        return count

    def keys(self, prefix: str) -> Iterator[str]:
        for batch in self._pages(prefix):
            yield from batch

    def _pages(self, prefix: str) -> Iterator[list[str]]:
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            yield [obj["Key"] for obj in page.get("Contents", [])]

    def copy(self, source_key: str, key: str) -> None:
        """Server-side copy: the bytes never pass through the function."""
        with _not_found_as_error(source_key):
            self.s3.copy({"Bucket": self.bucket, "Key": check_blob_key(source_key)}, self.bucket,
                         check_blob_key(key), ExtraArgs=self.extra)

    def open(self, key: str) -> BinaryIO:
        with _not_found_as_error(key):
            return self.s3.get_object(Bucket=self.bucket, Key=check_blob_key(key))["Body"]

    def download_url(self, key: str, expires_s: int, filename: str) -> str | None:
        """A presigned GET (the object's existence is checked first: S3 would sign any key)."""
        with _not_found_as_error(key):
            self.s3.head_object(Bucket=self.bucket, Key=check_blob_key(key))
        return self.s3.generate_presigned_url("get_object", ExpiresIn=expires_s, Params={
            "Bucket": self.bucket, "Key": key, "ResponseContentDisposition": f'attachment; filename="{filename}"'})
