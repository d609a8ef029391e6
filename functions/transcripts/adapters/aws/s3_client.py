"""The S3 client every AWS adapter uses, configured for the presigned URLs clients receive.

botocore's defaults would sign presigned URLs with SigV2 in the oldest regions (a browser's PUT
with a Content-Type then gets a 403) and address the global host `s3.amazonaws.com`, which
answers a bucket created in another region with a 307 redirect for up to a day, and a
redirected SigV4 URL no longer matches its signature. So: SigV4, and the bucket's regional host
(`<bucket>.s3.<region>.amazonaws.com`, us-east-1 included).
"""

from __future__ import annotations

import os

import boto3
from botocore.config import Config

PRESIGN_CONFIG = Config(signature_version="s3v4", s3={"addressing_style": "virtual"})


def s3_client(region: str | None = None):
    """A SigV4 S3 client on the region's own endpoint (the region from the environment unless
    given). An endpoint set in the environment (AWS_ENDPOINT_URL, an emulator) is kept."""
    region = region or boto3.session.Session().region_name or "us-east-1"
    if os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"):
        return boto3.client("s3", region_name=region, config=Config(signature_version="s3v4"))
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return boto3.client("s3", region_name=region, endpoint_url=f"https://s3.{region}.{suffix}", config=PRESIGN_CONFIG)
