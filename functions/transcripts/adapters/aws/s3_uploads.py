"""Uploads straight to S3 with presigned URLs: one PUT up to 100 MB, multipart above.

A multipart upload's UploadId is kept in a small object beside the upload's key, so completing
it needs only GetObject/PutObject/DeleteObject on `uploads/` (listing multipart uploads would
need s3:ListBucketMultipartUploads on the whole bucket). An upload never completed is
aborted by the bucket's lifecycle rule after a day; the marker expires with `uploads/`.
"""

from __future__ import annotations

import math

from botocore.exceptions import ClientError

from ...ports import UploadPart, UploadTarget, Uploads

SINGLE_PUT_MAX = 100 * 1024 * 1024
MIN_PART = 64 * 1024 * 1024
MAX_PARTS = 10_000
UPLOAD_ID_SUFFIX = ".upload-id"


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
        self.s3.put_object(Bucket=self.bucket, Key=key + UPLOAD_ID_SUFFIX, Body=upload_id.encode(),
                           ServerSideEncryption="AES256")
        count = math.ceil(size / part_size)
        parts = tuple(
            UploadPart(n, self.s3.generate_presigned_url(
                "upload_part", Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": n},
                ExpiresIn=expires_s), min(part_size, size - (n - 1) * part_size))
            for n in range(1, count + 1)
        )
        return UploadTarget(method="PUT", parts=parts)

    def complete(self, key: str, parts: list[tuple[int, str]]) -> None:
        marker = key + UPLOAD_ID_SUFFIX
        try:
            upload_id = self.s3.get_object(Bucket=self.bucket, Key=marker)["Body"].read().decode()
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from None
            raise
        try:
            self.s3.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id,
                MultipartUpload={"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in sorted(parts)]},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "NoSuchUpload":  # completed before, or expired
                raise FileNotFoundError(key) from None
            raise
        self.s3.delete_object(Bucket=self.bucket, Key=marker)
