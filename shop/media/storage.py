"""Where uploaded files live, behind one small interface: a folder on disk (MEDIA_BACKEND=local,
the default) or an S3-compatible bucket (MEDIA_BACKEND=s3), so that any number of app hosts
see the same photos.

Keys are paths such as `originals/<hex>.jpg` or `derived/<hex>-card.webp` (public photos) and
`private/...` (payment proofs): a private key never gets a public URL, only a short-lived
presigned one (`presigned_url(key, seconds)`)."""

import io
import mimetypes
import time
from collections.abc import Iterator
from pathlib import Path

from flask import current_app, redirect, send_file, url_for
from itsdangerous import BadSignature, URLSafeSerializer

PRIVATE_PREFIX = "private/"
EXTENSION_KEY = "shop_media_storage"


def is_private(key: str) -> bool:
    return key.startswith(PRIVATE_PREFIX)


def content_type(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


class LocalStorage:
    """Files under a folder on disk (MEDIA_ROOT)."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and not key.endswith(".tmp") and key.startswith(prefix):
                yield key

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def public_url(self, key: str) -> str | None:
        return None  # served by the app (or nginx, deploy/nginx/etalase.conf)

    def presigned_url(self, key: str, seconds: int) -> str:
        """A link to the app that serves `key` until `seconds` from now (signed)."""
        token = _signer().dumps({"k": key, "e": int(time.time()) + int(seconds)})
        return url_for("media.signed_file", token=token)

    def send(self, key: str, mimetype: str, max_age: int):
        return send_file(self.local_path(key), mimetype=mimetype, max_age=max_age)


class S3Storage:
    """Objects in a bucket of any S3-compatible store (AWS, MinIO, Ceph, Wasabi, ...)."""

    def __init__(self, bucket: str, *, endpoint_url=None, access_key_id=None,
                 secret_access_key=None, region="us-east-1", public_base_url=None):
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket = bucket
        self.public_base_url = (public_base_url or "").rstrip("/") or None
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key, region_name=region or "us-east-1",
            config=BotoConfig(
                signature_version="s3v4", connect_timeout=5, read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            ),
        )

    @staticmethod
    def _check(key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad storage key: {key!r}")
        return key

    def _missing(self, exc) -> bool:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def save(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._check(key), Body=data,
                               ContentType=content_type(key))

    def read(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._check(key))["Body"].read()
        except ClientError as exc:
            if self._missing(exc):
                raise FileNotFoundError(key) from exc
            raise

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._check(key))
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise
        return head["ContentLength"]

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._check(key))

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]

    def public_url(self, key: str) -> str | None:
        if self.public_base_url is None or is_private(key):
            return None
        return f"{self.public_base_url}/{self._check(key)}"

    def presigned_url(self, key: str, seconds: int) -> str:
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._check(key)},
            ExpiresIn=int(seconds))

    def send(self, key: str, mimetype: str, max_age: int):
        url = self.public_url(key)
        if url:
            response = redirect(url, 302)
            response.cache_control.max_age = max_age
            response.cache_control.public = True
            return response
        return send_file(io.BytesIO(self.read(key)), mimetype=mimetype, max_age=max_age)


def _signer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="media-private-file")


def read_signed(token: str) -> str | None:
    """The key a presigned app link names, or None when it is forged or expired."""
    try:
        data = _signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or int(data.get("e", 0)) < time.time():
        return None
    return data.get("k")


def s3_from_config(config) -> S3Storage:
    if not config.get("S3_BUCKET"):
        raise RuntimeError("MEDIA_BACKEND=s3 needs S3_BUCKET (and S3_ENDPOINT_URL, keys)")
    return S3Storage(
        config["S3_BUCKET"], endpoint_url=config.get("S3_ENDPOINT_URL"),
        access_key_id=config.get("S3_ACCESS_KEY_ID"),
        secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
        region=config.get("S3_REGION"), public_base_url=config.get("S3_PUBLIC_BASE_URL"),
    )


def get_storage():
    """The configured storage (one per app and settings: a boto3 client is kept)."""
    config = current_app.config
    backend = config.get("MEDIA_BACKEND", "local")
    if backend != "s3":
        return LocalStorage(config["MEDIA_ROOT"])
    settings = tuple(config.get(name) for name in (
        "S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION",
        "S3_PUBLIC_BASE_URL"))
    cached = current_app.extensions.get(EXTENSION_KEY)
    if cached is None or cached[0] != settings:
        cached = (settings, s3_from_config(config))
        current_app.extensions[EXTENSION_KEY] = cached
    return cached[1]
