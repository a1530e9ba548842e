"""flask --app wsgi create-admin / create-staff / issue-api-token: accounts the Kanwil makes."""

import click
from flask import current_app
from sqlalchemy import select

from shop.accounts.provisioning import AccountError, create_admin, create_staff
from shop.accounts.services import user_by_email
from shop.accounts.tokens import TokenError, issue_api_token
from shop.extensions import db
from shop.facilities.models import Facility


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="")
@click.password_option(prompt="Kata sandi", confirmation_prompt="Ulangi kata sandi")
def create_admin_command(email, name, password):
    """Create a Kanwil admin (the password is prompted)."""
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
    facility = db.session.scalar(select(Facility).where(Facility.slug == facility_slug))
    if facility is None:
        raise click.ClickException(f"Lapas/Rutan '{facility_slug}' tidak ada.")
    try:
        with current_app.test_request_context(base_url=current_app.config["SHOP_BASE_URL"]):
            user = create_staff(email, facility, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Petugas dibuat: {user.email} ({facility_slug}); tautan kata sandi ada di outbox.")


@click.command("issue-api-token")
@click.argument("email")
@click.option("--name", default="cli")
def issue_api_token_command(email, name):
    """Print a new API token for a staff member or an admin (shown only this once)."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"Tidak ada akun {email}.")
    try:
        click.echo(issue_api_token(user, name))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = (create_admin_command, create_staff_command, issue_api_token_command)
