"""The job registry: `jobs run-due` runs what is due once, records success and failure, and
two hosts calling it at the same moment run each job exactly once."""

import threading
import time
from datetime import timedelta

import pytest

from shop.core import jobs
from shop.core.time import utcnow
from shop.extensions import db


@pytest.fixture
def test_jobs(app):
    """Two throwaway jobs (removed afterwards): `tick` counts its runs, `boom` fails."""
    calls = {"tick": 0, "boom": 0}

    def tick():
        calls["tick"] += 1
        time.sleep(0.05)
        return "ticked"

    def boom():
        calls["boom"] += 1
        raise RuntimeError("gateway down")

    jobs.register(app, "test-tick", 60, tick)
    jobs.register(app, "test-boom", 3600, boom)
    yield calls
    for name in ("test-tick", "test-boom"):
        jobs.registered(app).pop(name)


def state(name):
    db.session.expire_all()
    return db.session.get(jobs.JobState, name)


def test_the_existing_jobs_are_registered_by_their_areas(app):
    names = set(jobs.registered(app))
    assert {"orders-expire", "mail-send", "payments-retry-refunds", "data-cleanup"} <= names
    assert jobs.registered(app)["orders-expire"].interval == timedelta(minutes=1)
    assert jobs.registered(app)["data-cleanup"].interval == timedelta(days=1)


def test_run_due_runs_once_per_interval(test_jobs):
    now = utcnow()
    assert jobs.run_due(now, names=["test-tick"]) == {"test-tick": "ok"}
    assert jobs.run_due(now + timedelta(seconds=30), names=["test-tick"]) == {
        "test-tick": "skipped"}
    # a timer firing a moment early still counts as due
    assert jobs.run_due(now + timedelta(seconds=58), names=["test-tick"]) == {"test-tick": "ok"}
    assert test_jobs["tick"] == 2
    row = state("test-tick")
    assert row.runs == 2 and row.last_result == "ticked" and row.lease_until is None
    assert row.last_success_at is not None and row.failures == 0


def test_a_failure_is_recorded_and_the_other_jobs_still_run(test_jobs):
    assert jobs.run_due(names=["test-boom", "test-tick"]) == {
        "test-boom": "failed", "test-tick": "ok"}
    row = state("test-boom")
    assert row.failures == 1 and row.last_success_at is None
    assert "gateway down" in row.last_error and row.lease_until is None
    # not retried before its interval, retried after it
    assert jobs.run_due(names=["test-boom"]) == {"test-boom": "skipped"}
    later = utcnow() + timedelta(hours=1)
    assert jobs.run_due(later, names=["test-boom"]) == {"test-boom": "failed"}
    assert test_jobs["boom"] == 2


def test_a_live_lease_blocks_and_a_lapsed_one_does_not(test_jobs):
    jobs.run_due(names=["test-tick"])
    row = state("test-tick")
    row.last_started_at = utcnow() - timedelta(hours=1)
    row.lease_until = utcnow() + timedelta(minutes=5)  # another host is still running it
    db.session.commit()
    assert jobs.run_due(names=["test-tick"]) == {"test-tick": "skipped"}
    assert jobs.run_now("test-tick") == "busy"
    row = state("test-tick")
    row.lease_until = utcnow() - timedelta(seconds=1)  # that host died: the lease lapsed
    db.session.commit()
    assert jobs.run_due(names=["test-tick"]) == {"test-tick": "ok"}
    assert test_jobs["tick"] == 2


def test_run_now_ignores_the_interval(test_jobs):
    assert jobs.run_now("test-tick") == "ok"
    assert jobs.run_now("test-tick") == "ok"
    assert test_jobs["tick"] == 2


def test_two_hosts_at_once_run_each_job_once(app, test_jobs):
    jobs.run_due(names=["test-tick"])  # the row exists; make it due again
    row = state("test-tick")
    row.last_started_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    results, barrier = [], threading.Barrier(4)

    def host():
        with app.app_context():
            barrier.wait()
            results.append(jobs.run_due(names=["test-tick"])["test-tick"])
            db.session.remove()

    threads = [threading.Thread(target=host) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "skipped", "skipped", "skipped"]
    assert test_jobs["tick"] == 2


def test_cli(runner, test_jobs):
    result = runner.invoke(args=["jobs", "run-due", "test-tick"])
    assert result.exit_code == 0, result.output
    assert "test-tick: ok" in result.output
    result = runner.invoke(args=["jobs", "run-due", "test-boom"])
    assert result.exit_code == 1 and "test-boom: failed" in result.output
    result = runner.invoke(args=["jobs", "run", "test-tick"])
    assert result.exit_code == 0 and "test-tick: ok" in result.output
    result = runner.invoke(args=["jobs", "run", "nope"])
    assert result.exit_code != 0 and "unknown job" in result.output
    result = runner.invoke(args=["jobs", "list"])
    assert "orders-expire" in result.output and "test-tick" in result.output


def test_the_real_jobs_run(runner):
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0, result.output
    for name in ("orders-expire", "mail-send", "payments-retry-refunds", "data-cleanup"):
        assert f"{name}: ok" in result.output
    health = jobs.health()
    assert health['last_success_age_seconds'] < 60 and health['failing'] == []
