"""seed-demo: idempotent. Creates what is missing (matched by slug), never duplicates."""

from sqlalchemy import select

from shop.catalog.models import Category, Product
from shop.catalog.services import add_product_image, create_category, create_product
from shop.demo import data
from shop.extensions import db
from shop.facilities.models import Facility
from shop.facilities.services import create_facility, set_shipping_rate


def _seed_categories():
    by_slug = {c.slug: c for c in db.session.scalars(select(Category))}
    for position, (slug, name, name_en, children) in enumerate(data.CATEGORIES):
        parent = by_slug.get(slug) or create_category(
            name, slug=slug, name_en=name_en, position=position
        )
        by_slug[slug] = parent
        for child_position, (child_slug, child_name, child_en) in enumerate(children):
            if child_slug not in by_slug:
                by_slug[child_slug] = create_category(
                    child_name, slug=child_slug, name_en=child_en, parent=parent,
                    position=child_position,
                )
    return by_slug


def _seed_facilities():
    by_slug = {f.slug: f for f in db.session.scalars(select(Facility))}
    for fields in data.FACILITIES:
        if fields["slug"] not in by_slug:
            facility = by_slug[fields["slug"]] = create_facility(**fields)
            for zone, (first_kg, next_kg) in data.SHIPPING_RATES.items():
                set_shipping_rate(facility, zone, first_kg, next_kg)
    return by_slug


def _seed_products(facilities, categories, echo):
    from shop.demo.artwork import render_card

    existing = set(db.session.scalars(select(Product.slug)))
    created = 0
    for facility_slug, products in data.PRODUCTS.items():
        facility = facilities[facility_slug]
        for fields in products:
            if fields["slug"] in existing:
                continue
            fields = dict(fields)
            category = categories[fields.pop("category")]
            product = create_product(
                facility=facility, category=category, status="active", **fields
            )
            picture = render_card(category.slug, product.name, facility.name, seed=product.id)
            add_product_image(
                product, picture,
                alt_text=f"Ilustrasi {product.name} (gambar contoh)",
                alt_text_en=f"Illustration of {product.name_en or product.name} (demo image)",
                derive_now=False,  # thumbnails are made on their first request
            )
            created += 1
    echo(f"Produk baru: {created}")
    return created


def _seed_accounts(facilities, echo):
    """One staff account per facility, an admin and a partner user; passwords printed once."""
    from flask import current_app

    from shop.accounts.services import user_by_email
    from shop.accounts.staff import (
        create_admin,
        create_partner_user,
        create_staff,
        demo_password,
    )

    configured = current_app.config.get("DEMO_PASSWORD")
    created = []

    def password():
        return demo_password(configured)

    if user_by_email(data.ADMIN_EMAIL) is None:
        secret = password()
        create_admin(data.ADMIN_EMAIL, secret, "Admin Kanwil Maluku Utara")
        created.append(("admin", data.ADMIN_EMAIL, secret))
    for slug in facilities:
        email = f"{slug}@petugas.example.org"
        if user_by_email(email) is None:
            secret = password()
            create_staff(email, slug, f"Petugas {facilities[slug].name}", password=secret,
                         invite=False)
            created.append((slug, email, secret))
    for email, name in data.PARTNER_USERS:
        if user_by_email(email) is None:
            secret = password()
            create_partner_user(email, name, password=secret)
            created.append(("mitra", email, secret))
    if created:
        echo("Akun demo (kata sandi hanya ditampilkan sekali):" if not configured
             else "Akun demo (kata sandi = DEMO_PASSWORD):")
        for role, email, secret in created:
            echo(f"  {role:<16} {email:<52} {'(DEMO_PASSWORD)' if configured else secret}")


def seed_demo(echo=print) -> int:
    """Add the demo facilities, categories and products that are missing; returns how many
    products were created (0 on a second run)."""
    categories = _seed_categories()
    facilities = _seed_facilities()
    created = _seed_products(facilities, categories, echo)
    db.session.commit()
    _seed_accounts(facilities, echo)
    echo(data.DEMO_NOTE)
    return created
