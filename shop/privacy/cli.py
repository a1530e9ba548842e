"""flask --app wsgi data cleanup."""

import click

from shop.privacy.services import cleanup

cleanup_cli = click.Group("data", help="Personal data (UU PDP).")


@cleanup_cli.command("cleanup")
@click.option("--cart-days", type=int, default=None,
              help="Delete carts untouched this many days (default: RETENTION_CART_DAYS).")
@click.option("--order-days", type=int, default=None,
              help="Anonymise expired orders older than this (RETENTION_EXPIRED_ORDER_DAYS).")
def cleanup_command(cart_days, order_days):
    """Delete old unpaid carts and anonymise old expired orders."""
    carts, orders = cleanup(cart_days=cart_days, order_days=order_days)
    click.echo(f"Keranjang dihapus: {carts}")
    click.echo(f"Pesanan kedaluwarsa dianonimkan: {orders}")

