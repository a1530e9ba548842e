"""The S3 media backend against a real S3-compatible server (moto in server mode, started
here as its own process, spoken to over HTTP by boto3): photos uploaded, derived and served,
private files only through presigned links, `media migrate-to-s3` idempotent, export and
import for backups."""

import io
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest

from shop.media.storage import LocalStorage, S3Storage, get_storage
from tests.factories import png_bytes
from tests.ops.ports import free_port

BIN = Path(sys.executable).parent
KEYS = {"S3_ACCESS_KEY_ID": "testing-key", "S3_SECRET_ACCESS_KEY": "testing-secret",
        "S3_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def s3_server():
    port = free_port(54730)
    proc = subprocess.Popen([BIN / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


_buckets = iter(range(1, 10_000))


@pytest.fixture
def bucket(s3_server):
    name = f"etalase-test-{next(_buckets)}"
    boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="testing-key",
                 aws_secret_access_key="testing-secret",
                 region_name="us-east-1").create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_app(app, s3_server, bucket):
    """The test app switched to MEDIA_BACKEND=s3 for one test."""
    saved = {k: app.config.get(k) for k in ("MEDIA_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL",
                                             "S3_PUBLIC_BASE_URL", *KEYS)}
    app.config.update(MEDIA_BACKEND="s3", S3_BUCKET=bucket, S3_ENDPOINT_URL=s3_server,
                      S3_PUBLIC_BASE_URL=None, **KEYS)
    yield app
    app.config.update(saved)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def storage_for(s3_server, bucket, **kw):
    return S3Storage(bucket, endpoint_url=s3_server, access_key_id="testing-key",
                     secret_access_key="testing-secret", **kw)


def test_save_read_exists_delete_list(s3_server, bucket):
    storage = storage_for(s3_server, bucket)
    assert not storage.exists("originals/a.jpg") and storage.size("originals/a.jpg") is None
    storage.save("originals/a.jpg", b"jpeg bytes")
    storage.save("derived/a-card.webp", b"webp bytes")
    assert storage.exists("originals/a.jpg") and storage.read("originals/a.jpg") == b"jpeg bytes"
    assert sorted(storage.list_keys()) == ["derived/a-card.webp", "originals/a.jpg"]
    assert list(storage.list_keys("derived/")) == ["derived/a-card.webp"]
    storage.delete("originals/a.jpg")
    with pytest.raises(FileNotFoundError):
        storage.read("originals/a.jpg")
    for bad in ("../etc/passwd", "/abs", ""):
        with pytest.raises(ValueError):
            storage.save(bad, b"x")


def test_private_files_only_through_presigned_links(s3_server, bucket):
    storage = storage_for(s3_server, bucket, public_base_url=f"{s3_server}/{bucket}")
    storage.save("private/proofs/EB-1.jpg", b"transfer receipt")
    storage.save("derived/b-card.webp", b"photo")
    assert storage.public_url("private/proofs/EB-1.jpg") is None
    assert storage.public_url("derived/b-card.webp") == f"{s3_server}/{bucket}/derived/b-card.webp"
    url = storage.presigned_url("private/proofs/EB-1.jpg", 60)
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    assert fetch(url) == (200, b"transfer receipt")
    tampered = url.replace("EB-1.jpg", "EB-2.jpg")
    assert fetch(tampered)[0] in (403, 404)


def test_a_photo_uploaded_is_derived_and_served_from_the_bucket(s3_app, client, gen_product):
    from shop.catalog.models import ProductImage
    from shop.extensions import db

    product = gen_product(image=True)
    image = db.session.query(ProductImage).filter_by(product_id=product.id).one()
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    assert storage.exists(f"originals/{image.storage_key}")
    stem = image.storage_key.rsplit(".", 1)[0]
    response = client.get(f"/media/{stem}/card.webp")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert response.data[:4] == b"RIFF" and "immutable" in response.headers["Cache-Control"]

    # with a public address for the bucket, the app sends the browser there
    s3_app.config["S3_PUBLIC_BASE_URL"] = f"{s3_app.config['S3_ENDPOINT_URL']}/" \
                                          f"{s3_app.config['S3_BUCKET']}"
    response = client.get(f"/media/{stem}/large.webp")  # made on this first request
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == f"{s3_app.config['S3_PUBLIC_BASE_URL']}/derived/{stem}-large.webp"
    assert storage.read(f"derived/{stem}-large.webp")[:4] == b"RIFF"


def test_local_private_files_through_signed_app_links(app, client):
    storage = LocalStorage(app.config["MEDIA_ROOT"])
    storage.save("private/proofs/EB-9.png", png_bytes((10, 10)))
    with app.test_request_context():
        url = storage.presigned_url("private/proofs/EB-9.png", 60)
        expired = storage.presigned_url("private/proofs/EB-9.png", -1)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert client.get(expired).status_code == 404
    assert client.get(url[:-3] + "xyz").status_code == 404


def test_migrate_to_s3_copies_once(app, runner, s3_server, bucket, tmp_path):
    local = LocalStorage(tmp_path / "media")
    local.save("originals/c.jpg", b"c" * 100)
    local.save("derived/c-thumb.webp", b"t" * 10)
    local.save("private/proofs/EB-3.pdf", b"%PDF")
    saved = {k: app.config.get(k) for k in ("MEDIA_ROOT", "S3_BUCKET", "S3_ENDPOINT_URL", *KEYS)}
    app.config.update(MEDIA_ROOT=str(tmp_path / "media"), S3_BUCKET=bucket,
                      S3_ENDPOINT_URL=s3_server, **KEYS)
    try:
        result = runner.invoke(args=["media", "migrate-to-s3"])
        assert result.exit_code == 0, result.output
        assert "Disalin: 3, sudah ada: 0" in result.output
        result = runner.invoke(args=["media", "migrate-to-s3"])
        assert "Disalin: 0, sudah ada: 3" in result.output
        local.save("originals/d.jpg", b"d")
        assert "Disalin: 1, sudah ada: 3" in runner.invoke(args=["media", "migrate-to-s3"]).output
    finally:
        app.config.update(saved)
    target = storage_for(s3_server, bucket)
    assert target.read("private/proofs/EB-3.pdf") == b"%PDF"
    assert len(list(target.list_keys())) == 4


def test_export_and_import_round_trip(s3_server, bucket, tmp_path):
    from shop.media.cli import export_archive, import_archive

    source = storage_for(s3_server, bucket)
    source.save("originals/e.jpg", b"e" * 1000)
    source.save("private/proofs/EB-4.jpg", b"proof")
    archive = io.BytesIO()
    assert export_archive(source, archive) == 2
    archive.seek(0)
    target = LocalStorage(tmp_path / "restored")
    assert import_archive(target, archive) == 2
    assert target.read("originals/e.jpg") == b"e" * 1000
    assert target.read("private/proofs/EB-4.jpg") == b"proof"
