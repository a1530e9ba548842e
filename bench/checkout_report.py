"""The figures and PASS/FAIL targets that bench/checkout.py prints at the end of a run."""

import math
import os
import statistics

# Targets (issue 14). Closed loop: 20 buyers without think time on 2 sync workers.
MAX_P99_MS = 200.0
MIN_CLOSED_ORDERS_PER_S = 40.0
# Open loop: orders started at a fixed rate; the checkout time counts a late start.
OPEN_RATE = 20.0
MAX_OPEN_P99_MS = 150.0


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]  # nearest rank


def verdict(ok):
    return "PASS" if ok else "FAIL"


def report(args, tally, elapsed, statuses, paid_events, paid_in_run, settled_after,
           initial, final, sold, mismatched, negative, scarce_ids, goods, server_errors):
    answers = len(tally.checkout_ms)
    p50 = percentile(tally.checkout_ms, 0.50)
    p99 = percentile(tally.checkout_ms, 0.99)
    sold_out = sum(tally.sold_out.values())
    through = tally.placed if args.no_payments else min(tally.confirmed, statuses["paid"])
    print()
    who = (f"Open loop: {args.rate:g} orders/s planned, {tally.journeys} journeys started"
           if args.rate else f"Buyers: {args.buyers} (closed loop)")
    print(f"{who}, buying for {elapsed:.1f} s "
          f"({os.cpu_count()} CPUs shared by the buyers, gunicorn, PostgreSQL and localstripe; "
          f"1-min load average now {os.getloadavg()[0]:.2f})")
    print(f"Orders placed (201):        {tally.placed}  ({tally.placed / elapsed:.1f} orders/s; "
          f"{through / elapsed:.1f}/s {'checked out' if args.no_payments else 'paid'} "
          f"through the whole journey)")
    label = "Checkout + late start:" if args.rate else "Checkout requests:"
    print(f"{label:<28}{answers}  (p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"mean {statistics.fmean(tally.checkout_ms) if answers else float('nan'):.1f} ms, "
          f"max {max(tally.checkout_ms, default=float('nan')):.1f} ms)")
    if args.rate:
        print(f"Planned start -> placed:    p50 {percentile(tally.placed_ms, 0.5):.1f} ms, "
              f"p99 {percentile(tally.placed_ms, 0.99):.1f} ms (cart, lines and checkout); "
              f"start late by p99 {percentile(tally.lag_ms, 0.99):.1f} ms, "
              f"max {max(tally.lag_ms, default=float('nan')):.1f} ms; scheduler behind "
              f"its plan by at most {tally.scheduler_late_ms:.1f} ms)")
    print(f"Cart and line requests:     {len(tally.other_ms)}  "
          f"(p50 {percentile(tally.other_ms, 0.5):.1f} ms, "
          f"p99 {percentile(tally.other_ms, 0.99):.1f} ms)")
    print(f"Sold-out answers (409):     {sold_out}  {dict(tally.sold_out)}; lines refused "
          f"when added (422, already sold out): {tally.refused_lines}")
    print(f"Payments confirmed:         {tally.confirmed} at localstripe "
          f"(update + confirm p50 {percentile(tally.pay_ms, 0.5):.1f} ms, "
          f"p99 {percentile(tally.pay_ms, 0.99):.1f} ms; "
          f"{tally.no_intent} orders without a PaymentIntent)")
    print(f"Paid by webhook:            {paid_in_run} when the buyers stopped, "
          f"{statuses['paid']} after {settled_after:.1f} s more "
          f"({paid_events} payment events settled as paid); orders by status: "
          f"{dict(statuses)}")
    print(f"Other errors:               {sum(tally.errors.values())} {dict(tally.errors)}; "
          f"tracebacks in the gunicorn log: {server_errors}")
    for sample in tally.samples:
        print(f"  e.g. {sample}")
    print("Scarce products (initial -> final stock, units in live orders): " + ", ".join(
        f"{goods[pid].slug} {initial[pid]}->{final[pid]} ({sold.get(pid, 0)})"
        for pid in scarce_ids))
    oversold = len(set(mismatched) | set(negative))
    print(f"Oversell check: {len(initial)} products, initial - final stock == units in order "
          f"lines of non-expired orders for {len(initial) - len(mismatched)}; "
          f"mismatches {len(mismatched)}, stock below 0: {len(negative)}")

    if args.rate:
        results = [(f"open loop at {args.rate:g} orders/s (target {OPEN_RATE:g}): p99 checkout "
                    f"< {MAX_OPEN_P99_MS:.0f} ms ({p99:.1f} ms)", p99 < MAX_OPEN_P99_MS)]
    else:
        rate = through / elapsed
        results = [
            (f">= {MIN_CLOSED_ORDERS_PER_S:.0f} orders/s through cart -> checkout -> payment "
             f"-> webhook on 2 workers ({args.buyers} buyers: {rate:.1f}/s)",
             rate >= MIN_CLOSED_ORDERS_PER_S),
            (f"p99 checkout < {MAX_P99_MS:.0f} ms at {args.buyers} buyers ({p99:.1f} ms)",
             p99 < MAX_P99_MS),
        ]
    results += [
        (f"oversell count == 0 ({oversold})", oversold == 0),
        (f"no server errors (5xx/other: {sum(tally.errors.values())}, tracebacks: "
         f"{server_errors})", not tally.errors and not server_errors),
        (f"every confirmed payment paid its order by webhook ({statuses['paid']}/"
         f"{tally.confirmed})", statuses["paid"] == tally.confirmed and tally.no_intent == 0),
    ]
    print()
    print("Targets:")
    for label, ok in results:
        print(f"  [{verdict(ok)}] {label}")
    failed = sum(not ok for _, ok in results)
    print(f"Overall: {verdict(not failed)} ({len(results) - failed}/{len(results)} targets met)")
