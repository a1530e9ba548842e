"""flask --app wsgi orders expire / payments retry-refunds / payments remind-transfers."""

import click

from shop.orders.services import release_expired_orders
from shop.payments.reminders import remind_transfers
from shop.payments.services import cancel_intent_of, complete_pending_refunds

orders_cli = click.Group("orders", help="Orders.")
payments_cli = click.Group("payments", help="Payments.")


@orders_cli.command("expire")
def expire_orders_command():
    """Release unpaid orders past their payment window, by method: stock back, the attempt
    closed (intent cancelled, transfer code freed); orders paid at pickup keep what was
    collected and cancel the rest."""
    expired = release_expired_orders()
    for order in expired:
        cancel_intent_of(order)
    click.echo(f"Pesanan kedaluwarsa: {len(expired)}")


@payments_cli.command("retry-refunds")
def retry_refunds_command():
    """Finish refunds the gateway has not confirmed yet."""
    click.echo(f"Pengembalian dana selesai: {complete_pending_refunds()}")


@payments_cli.command("remind-transfers")
def remind_transfers_command():
    """Mail open bank transfers BANK_TRANSFER_REMINDER_HOURS before their deadline (once)."""
    click.echo(f"Pengingat transfer terkirim: {remind_transfers()}")
