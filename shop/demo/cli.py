"""flask --app wsgi seed-demo / seed-if-empty."""

import click
from sqlalchemy import func, select

from shop.demo.seed import seed_demo
from shop.extensions import db
from shop.facilities.models import Facility


@click.command("seed-demo")
def seed_demo_command():
    """Add the ten North Maluku facilities and their demo products (idempotent)."""
    seed_demo(echo=click.echo)


@click.command("seed-if-empty")
def seed_if_empty_command():
    """Seed the demo data only when there are no facilities yet (used by make run)."""
    if db.session.scalar(select(func.count(Facility.id))):
        click.echo("Database sudah berisi data; seed dilewati.")
        return
    seed_demo(echo=click.echo)


COMMANDS = (seed_demo_command, seed_if_empty_command)
