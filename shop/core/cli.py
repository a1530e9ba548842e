"""Command-line verbs: flask --app wsgi <command>."""

import click
from sqlalchemy import func, select

orders_cli = click.Group("orders", help="Orders.")
mail_cli = click.Group("mail", help="The mail outbox.")
payments_cli = click.Group("payments", help="Payments.")


@orders_cli.command("expire")
def expire_orders_command():
    """Release unpaid orders past their payment window (stock back, intent cancelled)."""
    from shop.orders.services import release_expired_orders
    from shop.payments.services import cancel_intent_of

    expired = release_expired_orders()
    for order in expired:
        cancel_intent_of(order)
    click.echo(f"Pesanan kedaluwarsa: {len(expired)}")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True)
def send_mail_command(limit):
    """Send the queued mails (failures are retried later)."""
    from shop.mail.services import send_outbox

    sent, failed = send_outbox(limit)
    click.echo(f"Terkirim: {sent}, gagal: {failed}")


@payments_cli.command("retry-refunds")
def retry_refunds_command():
    """Finish refunds the gateway has not confirmed yet."""
    from shop.payments.services import complete_pending_refunds

    click.echo(f"Pengembalian dana selesai: {complete_pending_refunds()}")


def register_cli(app):
    for group in (orders_cli, mail_cli, payments_cli):
        app.cli.add_command(group)

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Add the ten North Maluku facilities and their demo products (idempotent)."""
        from shop.demo.seed import seed_demo

        seed_demo(echo=click.echo)

    @app.cli.command("seed-if-empty")
    def seed_if_empty_command():
        """Seed the demo data only when there are no facilities yet (used by make run)."""
        from shop.demo.seed import seed_demo
        from shop.extensions import db
        from shop.facilities.models import Facility

        if db.session.scalar(select(func.count(Facility.id))):
            click.echo("Database sudah berisi data; seed dilewati.")
            return
        seed_demo(echo=click.echo)
