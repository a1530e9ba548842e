"""flask --app wsgi media ...: copy the media folder to the bucket, and export/import every
stored file as one tar archive (for deploy/backup.sh and deploy/restore.sh)."""

import io
import tarfile
import time

import click
from flask import current_app

from shop.media.storage import LocalStorage, get_storage, s3_from_config

media_cli = click.Group("media", help="Stored files (product photos, payment proofs).")


def migrate_to_s3(source: LocalStorage, target) -> tuple[int, int]:
    """Copy every file of `source` missing from `target` (or of another size). Returns
    (copied, already there); running it again copies nothing."""
    copied = present = 0
    for key in source.list_keys():
        if target.size(key) == source.size(key):
            present += 1
            continue
        target.save(key, source.read(key))
        copied += 1
    return copied, present


@media_cli.command("migrate-to-s3")
def migrate_to_s3_command():
    """Copy MEDIA_ROOT into the bucket of S3_* (idempotent); then set MEDIA_BACKEND=s3."""
    source = LocalStorage(current_app.config["MEDIA_ROOT"])
    copied, present = migrate_to_s3(source, s3_from_config(current_app.config))
    click.echo(f"Disalin: {copied}, sudah ada: {present}")


def export_archive(storage, fileobj) -> int:
    count = 0
    with tarfile.open(fileobj=fileobj, mode="w|gz") as tar:
        for key in storage.list_keys():
            data = storage.read(key)
            info = tarfile.TarInfo(key)
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            count += 1
    return count


def import_archive(storage, fileobj) -> int:
    count = 0
    with tarfile.open(fileobj=fileobj, mode="r|gz") as tar:
        for member in tar:
            if not member.isfile() or member.name.startswith("/") or ".." in member.name:
                continue
            storage.save(member.name, tar.extractfile(member).read())
            count += 1
    return count


@media_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Write every stored file (folder or bucket) into a .tar.gz at PATH."""
    with open(path, "wb") as out:
        count = export_archive(get_storage(), out)
    click.echo(f"Berkas diekspor: {count}")


@media_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Put every file of a .tar.gz made by `media export` back into storage."""
    with open(path, "rb") as src:
        count = import_archive(get_storage(), src)
    click.echo(f"Berkas diimpor: {count}")
