"""Command-line verbs: flask --app wsgi <command>."""

import click
from sqlalchemy import func, select


def register_cli(app):
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
