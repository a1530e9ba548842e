"""flask --app wsgi mail ..."""

import click

mail_cli = click.Group("mail", help="The mail outbox.")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True)
def send_mail_command(limit):
    """Send the queued mails (failures are retried later)."""
    from shop.mail.services import send_outbox

    sent, failed = send_outbox(limit)
    click.echo(f"Terkirim: {sent}, gagal: {failed}")
