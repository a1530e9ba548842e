#!/usr/bin/env bash
# Backup of Etalase Binaan: the database (PostgreSQL: pg_dump custom format; SQLite: a
# consistent copy) and every stored file (the media folder or the S3 bucket, whichever
# MEDIA_BACKEND says) into BACKUP_DIR/<UTC time>/, with SHA256SUMS; keeps the newest
# BACKUP_KEEP backups. Reads the same environment as the app (/etc/etalase/etalase.env).
#
#   set -a; . /etc/etalase/etalase.env; set +a; deploy/backup.sh
#
# The etalase-backup.timer runs it nightly. Copy BACKUP_DIR off the machine too (rsync,
# restic, rclone to another bucket): a backup on the same disk is not a backup.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must be set}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/etalase}
BACKUP_KEEP=${BACKUP_KEEP:-14}
FLASK=${FLASK:-.venv/bin/flask}
PYTHON=${PYTHON:-.venv/bin/python}

umask 077
mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%S.%3NZ)
dest="$BACKUP_DIR/$stamp"
work="$BACKUP_DIR/.$stamp.partial"
trap 'rm -rf "$work"' EXIT
mkdir "$work"

case "$DATABASE_URL" in
  postgresql*)
    pg_dump --format=custom --no-owner --no-privileges --file "$work/database.dump" \
      "${DATABASE_URL/postgresql+psycopg:/postgresql:}"
    ;;
  sqlite:///*)
    "$PYTHON" - "${DATABASE_URL#sqlite:///}" "$work/database.sqlite" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close(); src.close()
PY
    ;;
  *) echo "backup.sh: unsupported DATABASE_URL" >&2; exit 2 ;;
esac

"$FLASK" --app wsgi media export "$work/media.tar.gz" >/dev/null
(cd "$work" && sha256sum -- * > SHA256SUMS)
mv "$work" "$dest"
trap - EXIT

# rotation: the newest BACKUP_KEEP complete backups stay
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '*Z' | sort | head -n "-$BACKUP_KEEP" \
  | xargs -r rm -rf --
echo "$dest"
