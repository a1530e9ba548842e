"""deploy/backup.sh then deploy/restore.sh into a fresh database: the orders, payments, refunds
and audit log come back with the same counts and sums, and so do the stored files; old
backups are rotated away. PostgreSQL only (pg_dump / pg_restore)."""

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import TestConfig, is_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not is_postgres(), reason="pg_dump/pg_restore need PostgreSQL")]

CHECKS = {
    "orders": "SELECT count(*), coalesce(sum(total), 0) FROM customer_order",
    "parcels": "SELECT count(*), coalesce(sum(total), 0) FROM facility_order",
    "lines": "SELECT count(*), coalesce(sum(quantity), 0) FROM order_line",
    "payments": "SELECT count(*), coalesce(sum(amount), 0) FROM payment",
    "refunds": "SELECT count(*), coalesce(sum(amount), 0) FROM refund",
    "audit": "SELECT count(*), coalesce(sum(coalesce(amount, 0)), 0) FROM audit_entry",
    "jobs": "SELECT count(*), coalesce(sum(runs), 0) FROM job_state",
}


def summary(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: tuple(conn.execute(text(sql)).one()) for name, sql in CHECKS.items()}
    finally:
        engine.dispose()


def run(script, *args, env):
    result = subprocess.run([ROOT / "deploy" / script, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def fresh_database():
    url = make_url(TestConfig.SQLALCHEMY_DATABASE_URI)
    name = "shop_restore_test"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_backup_restores_into_a_fresh_database(app, runner, gen_product, gen_order, tmp_path,
                                               fresh_database):
    from shop.core.audit import record
    from shop.extensions import db
    from shop.media.storage import LocalStorage
    from shop.payments.models import Payment, Refund

    for n, quantity in enumerate((1, 2, 3), start=1):
        order, _ = gen_order({gen_product(price=15_000 * n, stock=10, image=(n == 1)): quantity})
        payment = Payment(order_id=order.id, provider="stripe", intent_id=f"pi_backup_{n}",
                          client_secret="s", amount=order.total, status="succeeded")
        db.session.add(payment)
        db.session.flush()
        if n == 2:
            db.session.add(Refund(payment_id=payment.id, amount=5_000, reason="uji",
                                  status="succeeded", idempotency_key=f"rf-backup-{n}"))
        record("refund" if n == 2 else "payment", subject=order.number, amount=order.total)
    db.session.commit()
    assert runner.invoke(args=["jobs", "run", "orders-expire"]).exit_code == 0
    LocalStorage(app.config["MEDIA_ROOT"]).save("private/proofs/EB-BACKUP.jpg", b"proof")
    before = summary(TestConfig.SQLALCHEMY_DATABASE_URI)
    assert before["orders"][0] == 3 and before["refunds"] == (1, 5_000)

    env = {**os.environ, "DATABASE_URL": TestConfig.SQLALCHEMY_DATABASE_URI,
           "MEDIA_ROOT": app.config["MEDIA_ROOT"], "MEDIA_BACKEND": "local",
           "BACKUP_DIR": str(tmp_path / "backups"), "BACKUP_KEEP": "1", "SHOP_ENV": "testing"}
    backups = [run("backup.sh", env=env) for _ in range(2)]
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == [Path(backups[-1]).name]  # rotated: only the newest is kept
    assert {p.name for p in Path(backups[-1]).iterdir()} == {
        "database.dump", "media.tar.gz", "SHA256SUMS"}

    restored_media = tmp_path / "restored-media"
    restore_env = {**env, "DATABASE_URL": fresh_database, "MEDIA_ROOT": str(restored_media)}
    run("restore.sh", backups[-1], env=restore_env)
    assert summary(fresh_database) == before
    assert (restored_media / "private" / "proofs" / "EB-BACKUP.jpg").read_bytes() == b"proof"
    assert any((restored_media / "originals").iterdir())

    # a second restore into the same (now full) database is refused, nothing changes
    again = subprocess.run([ROOT / "deploy" / "restore.sh", backups[-1]], cwd=ROOT,
                           env=restore_env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "not empty" in again.stderr
    assert summary(fresh_database) == before
