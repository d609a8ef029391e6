"""Uploads straight to S3 with presigned URLs: one PUT up to 100 MB, multipart above."""

from __future__ import annotations

import math

from ...ports import UploadPart, UploadTarget, Uploads

SINGLE_PUT_MAX = 100 * 1024 * 1024
MIN_PART = 64 * 1024 * 1024
MAX_PARTS = 10_000


class S3Uploads(Uploads):
    def __init__(self, s3, bucket: str):
        self.s3 = s3
        self.bucket = bucket

    def start(self, key: str, size: int, expires_s: int, base_url: str) -> UploadTarget:
        if size <= SINGLE_PUT_MAX:
            url = self.s3.generate_presigned_url("put_object", Params={"Bucket": self.bucket, "Key": key},
                                                 ExpiresIn=expires_s)
            return UploadTarget(method="PUT", url=url)
        part_size = max(MIN_PART, math.ceil(size / MAX_PARTS))
        upload_id = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key,
                                                    ServerSideEncryption="AES256")["UploadId"]
        count = math.ceil(size / part_size)
        parts = tuple(
            UploadPart(n, self.s3.generate_presigned_url(
                "upload_part", Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": n},
                ExpiresIn=expires_s), min(part_size, size - (n - 1) * part_size))
            for n in range(1, count + 1)
        )
        return UploadTarget(method="PUT", parts=parts)

    def complete(self, key: str, parts: list[tuple[int, str]]) -> None:
        uploads = self.s3.list_multipart_uploads(Bucket=self.bucket, Prefix=key).get("Uploads", [])
        ours = [u for u in uploads if u["Key"] == key]
        if not ours:
            raise FileNotFoundError(key)
        self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=key, UploadId=ours[-1]["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in sorted(parts)]},
        )
