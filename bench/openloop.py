"""Open-loop arrivals for the benchmarks: job i starts at t0 + i / rate, whatever earlier ones take.

A closed loop (N buyers, each starting its next order when the last one is done) slows its
own arrivals down when the server slows down, so the requests that would have waited are
never sent and never measured ("coordinated omission"). Here a scheduler thread hands each
job its planned start time and submits it to a thread pool at that time; the pool is bounded
but sized well above the expected concurrency (rate x journey time), and a job that starts late
anyway (pool full, scheduler or GIL late) is given its planned start time, so the measurer can
count that delay in the latency.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor


def default_pool(rate: float) -> int:
    """Threads enough for journeys of up to 5 s each at `rate` (never fewer than 32)."""
    return max(32, int(rate * 5) + 1)


def run_at_rate(job, rate: float, duration: float, max_inflight: int):
    """Call job(i, scheduled) for i = 0, 1, ... while i / rate < duration, each at its planned
    time `scheduled` (a time.perf_counter() value), on a pool of `max_inflight` threads.

    Returns (results, elapsed, max_late_ms): the jobs' return values in submission order, the
    seconds from the first planned start until the last job finished (at least `duration`),
    and how late the scheduler itself submitted the latest job.
    """
    count = int(duration * rate - 1e-9) + 1 if duration > 0 else 0
    futures = []
    finished = [0.0]
    lock = threading.Lock()

    def timed(i, scheduled):
        try:
            return job(i, scheduled)
        finally:
            with lock:
                finished[0] = max(finished[0], time.perf_counter())

    max_late = 0.0
    with ThreadPoolExecutor(max_workers=max_inflight, thread_name_prefix="open-loop") as pool:
        t0 = time.perf_counter() + 0.05
        for i in range(count):
            scheduled = t0 + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                max_late = max(max_late, -delay)
            futures.append(pool.submit(timed, i, scheduled))
        results = [f.result() for f in futures]
    elapsed = max(duration, finished[0] - t0)
    return results, elapsed, max_late * 1000
