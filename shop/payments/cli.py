"""flask --app wsgi orders expire / payments retry-refunds."""

import click

from shop.orders.services import release_expired_orders
from shop.payments.services import cancel_intent_of, complete_pending_refunds

orders_cli = click.Group("orders", help="Orders.")
payments_cli = click.Group("payments", help="Payments.")


@orders_cli.command("expire")
def expire_orders_command():
    """Release unpaid orders past their payment window (stock back, intent cancelled)."""
    click.echo(f"Pesanan kedaluwarsa: {expire_orders()}")


def expire_orders() -> int:
    """The `orders-expire` job: release expired orders, cancel their intents."""
    expired = release_expired_orders()
    for order in expired:
        cancel_intent_of(order)
    return len(expired)


@payments_cli.command("retry-refunds")
def retry_refunds_command():
    """Finish refunds the gateway has not confirmed yet."""
    click.echo(f"Pengembalian dana selesai: {complete_pending_refunds()}")
