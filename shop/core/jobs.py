"""Recurring jobs: a registry that areas add to from their init_app, and `flask --app wsgi jobs
run-due` that a systemd timer (or cron) calls every minute on every app host.

Each job has a row in `job_state`. A run is taken with one conditional UPDATE on that row
(interval passed and no live lease), so when two hosts call `run-due` at the same moment
exactly one of them runs each job; the lease makes a crashed run retry after it lapses.
"""

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from sqlalchemy import DateTime, Integer, String, Text, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.time import utcnow
from shop.extensions import db

log = logging.getLogger("shop.jobs")
EXTENSION_KEY = "shop_jobs"


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    func: Callable[[], object]
    lease: timedelta
    help: str = ""

    @property
    def slack(self) -> timedelta:
        # a timer that fires a moment early must not skip a whole interval
        return min(timedelta(seconds=10), self.interval / 10)


class JobState(db.Model):
    """One row per job: when it last started, succeeded, failed, and who holds it now."""

    __tablename__ = "job_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_result: Mapped[str | None] = mapped_column(String(200))
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)
    runs: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


def register(app, name: str, every_seconds: int, func: Callable[[], object], *,
             lease_seconds: int | None = None, help: str = "") -> None:
    """Add a job (called from an area's init_app). `func` runs in an app context; it may
    commit itself; whatever it returns is stored as a short summary."""
    lease = timedelta(seconds=lease_seconds or max(15 * 60, every_seconds))
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = Job(
        name, timedelta(seconds=every_seconds), func, lease, help)


def registered(app=None) -> dict[str, Job]:
    return (app or current_app).extensions.get(EXTENSION_KEY, {})


def _ensure_rows(names) -> None:
    known = set(db.session.scalars(select(JobState.name)))
    for name in sorted(set(names) - known):
        try:
            db.session.add(JobState(name=name, runs=0, failures=0))
            db.session.commit()
        except IntegrityError:  # another host inserted it first
            db.session.rollback()


def _claim(job: Job, now: datetime, *, due_only: bool) -> bool:
    """Take the job with one conditional UPDATE; True when this process got it."""
    conditions = [JobState.name == job.name,
                  or_(JobState.lease_until.is_(None), JobState.lease_until < now)]
    if due_only:
        conditions.append(or_(JobState.last_started_at.is_(None),
                              JobState.last_started_at <= now - job.interval + job.slack))
    result = db.session.execute(
        update(JobState).where(*conditions)
        .values(last_started_at=now, lease_until=now + job.lease)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _finish(job: Job, *, ok: bool, detail: str, duration_ms: int) -> None:
    now = utcnow()
    values = {"lease_until": None, "last_duration_ms": duration_ms}
    if ok:
        values.update(last_success_at=now, last_result=detail[:200], runs=JobState.runs + 1)
    else:
        values.update(last_failure_at=now, last_error=detail[-4000:],
                      failures=JobState.failures + 1)
    db.session.execute(update(JobState).where(JobState.name == job.name).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _execute(job: Job) -> bool:
    started = time.monotonic()
    try:
        result = job.func()
        db.session.commit()
    except Exception:  # noqa: BLE001 - recorded on the job's row, the next job still runs
        db.session.rollback()
        log.exception("job %s failed", job.name)
        _finish(job, ok=False, detail=traceback.format_exc(),
                duration_ms=int((time.monotonic() - started) * 1000))
        return False
    duration_ms = int((time.monotonic() - started) * 1000)
    log.info("job %s done in %d ms: %s", job.name, duration_ms, result)
    _finish(job, ok=True, detail="" if result is None else str(result), duration_ms=duration_ms)
    return True


def run_due(now: datetime | None = None, names=None) -> dict[str, str]:
    """Run every job whose interval has passed: {name: "ok" | "failed" | "skipped"}."""
    jobs = registered()
    chosen = [jobs[n] for n in (names or sorted(jobs))]
    _ensure_rows(j.name for j in chosen)
    outcome = {}
    for job in chosen:
        if not _claim(job, now or utcnow(), due_only=True):
            outcome[job.name] = "skipped"
            continue
        outcome[job.name] = "ok" if _execute(job) else "failed"
    return outcome


def run_now(name: str) -> str:
    """Run one job now, whatever its interval: "ok", "failed" or "busy" (another run holds it)."""
    job = registered()[name]
    _ensure_rows([name])
    if not _claim(job, utcnow(), due_only=False):
        return "busy"
    return "ok" if _execute(job) else "failed"


def health(now: datetime | None = None) -> dict:
    """For /healthz: seconds since a job last started and last succeeded, and the jobs whose
    latest run failed."""
    now = now or utcnow()
    started, succeeded = db.session.execute(
        select(func.max(JobState.last_started_at), func.max(JobState.last_success_at))).one()
    failing = db.session.scalars(select(JobState.name).where(
        JobState.last_failure_at.is_not(None),
        or_(JobState.last_success_at.is_(None),
            JobState.last_failure_at > JobState.last_success_at)).order_by(JobState.name))

    def age(moment):
        return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)

    return {"last_run_age_seconds": age(started), "last_success_age_seconds": age(succeeded),
            "failing": list(failing)}


def states() -> list[JobState]:
    return list(db.session.scalars(select(JobState).order_by(JobState.name)))


# ---------------------------------------------------------------- command line

jobs_cli = click.Group("jobs", help="Recurring jobs (orders expire, mail send, ...).")


def _check_names(names):
    unknown = sorted(set(names) - set(registered()))
    if unknown:
        raise click.BadParameter(f"unknown job(s): {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(registered()))}")


@jobs_cli.command("run-due")
@click.argument("names", nargs=-1)
def run_due_command(names):
    """Run each job whose interval has passed (all, or only NAMES). Safe on many hosts."""
    _check_names(names)
    outcome = run_due(names=list(names) or None)
    for name, result in outcome.items():
        click.echo(f"{name}: {result}")
    if "failed" in outcome.values():
        raise SystemExit(1)


@jobs_cli.command("run")
@click.argument("name")
def run_command(name):
    """Run one job now, whatever its interval."""
    _check_names([name])
    result = run_now(name)
    click.echo(f"{name}: {result}")
    if result != "ok":
        raise SystemExit(1)


@jobs_cli.command("list")
def list_command():
    """The registered jobs with their interval and last runs."""
    rows = {s.name: s for s in states()}
    for name, job in sorted(registered().items()):
        state = rows.get(name)
        click.echo(
            f"{name:<24} every {int(job.interval.total_seconds())}s"
            f"  last ok: {state.last_success_at if state else '-'}"
            f"  last failure: {state.last_failure_at if state else '-'}"
        )
