#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the database named by DATABASE_URL (which
# must be empty: a fresh `createdb`) and into the storage the environment names (MEDIA_ROOT
# or the S3 bucket). Stop the app and the jobs timer first.
#
#   systemctl stop etalase etalase-jobs.timer
#   sudo -u postgres createdb -O etalase etalase
#   set -a; . /etc/etalase/etalase.env; set +a; deploy/restore.sh /var/backups/etalase/<time>
#   .venv/bin/flask --app wsgi db upgrade      # if the code is newer than the backup
#   systemctl start etalase etalase-jobs.timer
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must be set}"
src=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
src=$(cd "$src" && pwd)
FLASK=${FLASK:-.venv/bin/flask}

(cd "$src" && sha256sum --quiet -c SHA256SUMS)

case "$DATABASE_URL" in
  postgresql*)
    url="${DATABASE_URL/postgresql+psycopg:/postgresql:}"
    tables=$(psql -X -At -d "$url" -c \
      "select count(*) from information_schema.tables where table_schema = 'public'")
    if [ "$tables" != 0 ]; then
      echo "restore.sh: the target database is not empty ($tables tables); use a fresh one" >&2
      exit 1
    fi
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
      -d "$url" "$src/database.dump"
    ;;
  sqlite:///*)
    target="${DATABASE_URL#sqlite:///}"
    if [ -s "$target" ]; then
      echo "restore.sh: $target exists; move it away first" >&2
      exit 1
    fi
    cp "$src/database.sqlite" "$target"
    ;;
  *) echo "restore.sh: unsupported DATABASE_URL" >&2; exit 2 ;;
esac

"$FLASK" --app wsgi media import "$src/media.tar.gz"
echo "restored from $src"
