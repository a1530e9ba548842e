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


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="")
@click.password_option(prompt="Kata sandi", confirmation_prompt="Ulangi kata sandi")
def create_admin_command(email, name, password):
    """Create a Kanwil admin (the password is prompted)."""
    from shop.accounts.staff import AccountError, create_admin

    try:
        user = create_admin(email, password, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Admin dibuat: {user.email}")


@click.command("create-staff")
@click.argument("email")
@click.option("--facility", "facility_slug", required=True, help="facility slug")
@click.option("--name", default="")
def create_staff_command(email, facility_slug, name):
    """Create a facility staff account; they set a password from the emailed link."""
    from shop.accounts.staff import AccountError, create_staff

    try:
        with _request_context():
            user = create_staff(email, facility_slug, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Petugas dibuat: {user.email} ({facility_slug}); tautan kata sandi ada di outbox.")


@click.command("issue-api-token")
@click.argument("email")
@click.option("--name", default="cli")
def issue_api_token_command(email, name):
    """Print a new API token for a staff member (shown only this once)."""
    from shop.accounts.services import user_by_email
    from shop.accounts.tokens import TokenError, issue_api_token

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"Tidak ada akun {email}.")
    try:
        click.echo(issue_api_token(user, name))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None


def _request_context():
    from flask import current_app

    return current_app.test_request_context(base_url=current_app.config["SHOP_BASE_URL"])


def register_cli(app):
    for group in (orders_cli, mail_cli, payments_cli):
        app.cli.add_command(group)
    for command in (create_admin_command, create_staff_command, issue_api_token_command):
        app.cli.add_command(command)
    from shop.accounts.privacy_services import cleanup_cli

    app.cli.add_command(cleanup_cli)

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
