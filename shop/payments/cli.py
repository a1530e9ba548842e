"""flask --app wsgi orders expire / payments retry-refunds / payments remind-transfers."""

import click

from shop.orders.fulfilment import auto_complete
from shop.payments.reminders import remind_transfers
from shop.payments.services import (
    complete_pending_refunds,
    expire_due_orders,
    reconcile_open_attempts,
)

orders_cli = click.Group("orders", help="Orders.")
payments_cli = click.Group("payments", help="Payments.")


@orders_cli.command("expire")
def expire_orders_command():
    """Release unpaid orders past their payment window, by method: stock back, the attempt
    closed (intent cancelled, transfer code freed); orders paid at pickup keep what was
    collected and cancel the rest. An online attempt is asked about first: money taken while
    a webhook was lost pays the order instead."""
    click.echo(f"Pesanan kedaluwarsa: {len(expire_due_orders())}")


@orders_cli.command("auto-complete")
def auto_complete_command():
    """Mark delivered every parcel shipped AUTO_COMPLETE_DAYS (default 7) ago that neither
    the buyer nor the staff marked."""
    click.echo(f"Paket selesai otomatis: {auto_complete()}")


@payments_cli.command("reconcile")
def reconcile_command():
    """Ask the gateways about every open card and Midtrans attempt; settle what was paid."""
    counts = reconcile_open_attempts()
    click.echo(", ".join(f"{key}: {n}" for key, n in sorted(counts.items())) or "0")


@payments_cli.command("retry-refunds")
def retry_refunds_command():
    """Finish refunds the gateway has not confirmed yet."""
    click.echo(f"Pengembalian dana selesai: {complete_pending_refunds()}")


@payments_cli.command("remind-transfers")
def remind_transfers_command():
    """Mail open bank transfers BANK_TRANSFER_REMINDER_HOURS before their deadline (once)."""
    click.echo(f"Pengingat transfer terkirim: {remind_transfers()}")
