"""seed-demo: idempotent. Creates what is missing (matched by slug), never duplicates."""

from datetime import UTC

from sqlalchemy import select

from shop.catalog.models import Category, Product
from shop.catalog.services import add_product_image, create_category, create_product
from shop.core.time import flagship_target_year
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
        _fill_place(by_slug[fields["slug"]])
    return by_slug


def _fill_place(facility):
    """Contact and map details the Kanwil has not set yet (never overwrites an edit)."""
    place = data.FACILITY_PLACES.get(facility.slug)
    if place is None:
        return
    regency_code, whatsapp, latitude, longitude, street = place
    facility.regency_code = facility.regency_code or regency_code
    facility.whatsapp = facility.whatsapp or whatsapp
    if facility.latitude is None or facility.longitude is None:
        facility.latitude, facility.longitude = latitude, longitude
    if street and facility.address in ("", "Kota Ternate, Maluku Utara"):
        facility.address = street


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
            if fields["is_flagship"]:
                fields["flagship_year"] = flagship_target_year()
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

    from shop.accounts.provisioning import (
        create_admin,
        create_partner_user,
        create_staff,
        demo_password,
    )
    from shop.accounts.services import user_by_email

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
            create_staff(email, facilities[slug], f"Petugas {facilities[slug].name}",
                         password=secret,
                         invite=False)
            created.append((slug, email, secret))
    for email, name, _slug in data.PARTNER_USERS:
        if user_by_email(email) is None:
            secret = password()
            create_partner_user(email, name, password=secret)
            created.append(("mitra", email, secret))
    if created:
        echo("Akun demo (kata sandi hanya ditampilkan sekali):" if not configured
             else "Akun demo (kata sandi = DEMO_PASSWORD):")
        for role, email, secret in created:
            echo(f"  {role:<16} {email:<52} {'(DEMO_PASSWORD)' if configured else secret}")


def _seed_partners():
    """The partner organisations (matched by slug)."""
    from shop.promotions.partners import create_partner, partner_by_slug

    partners = {}
    for fields in data.PARTNERS:
        fields = dict(fields)
        partners[fields["slug"]] = partner_by_slug(fields["slug"]) or create_partner(
            fields.pop("name"), fields.pop("kind"), **fields)
    db.session.commit()
    return partners


def _link_partner_users(partners):
    """Attach each demo partner user to their organisation (also users made by an older seed,
    before organisations existed)."""
    from shop.accounts.services import user_by_email
    from shop.promotions.partners import link_user

    for email, _name, slug in data.PARTNER_USERS:
        user = user_by_email(email)
        if user is not None and user.partner_id is None:
            link_user(user, partners[slug])
    db.session.commit()


def _demo_targets(fields, facilities, categories):
    """(kind, id) targets of a demo promotion from its scope selector."""
    if fields.get("facility_regency"):
        return tuple(sorted(("facility", f.id) for f in facilities.values()
                            if f.regency == fields["facility_regency"]))
    category = categories[fields["category"]]
    tree = {category.id} | {c.id for c in categories.values() if c.parent_id == category.id}
    ids = db.session.scalars(select(Product.id).where(
        Product.facility_id == facilities[fields["facility"]].id,
        Product.category_id.in_(tree), Product.status == "active"))
    return tuple(sorted(("product", pid) for pid in ids))


def _seed_promotions(partners, facilities, categories, echo):
    """One approved promotion per partner, made the way a partner would: a draft by the
    partner's user, submitted, approved by the Kanwil admin."""
    from datetime import datetime, time, timedelta

    from shop.accounts.services import user_by_email
    from shop.core.time import WIT, to_wit, utcnow
    from shop.promotions import approval, drafts
    from shop.promotions.models import Promotion, PromotionCode

    admin = user_by_email(data.ADMIN_EMAIL)
    users = {slug: user_by_email(email) for email, _name, slug in data.PARTNER_USERS}
    existing = set(db.session.scalars(select(Promotion.slug)))
    codes = set(db.session.scalars(select(PromotionCode.code)))
    today = to_wit(utcnow()).date()
    start = datetime.combine(today, time.min, tzinfo=WIT).astimezone(UTC).replace(tzinfo=None)
    created = 0
    for fields in data.PROMOTIONS:
        if fields["slug"] in existing or fields.get("code") in codes:
            continue
        targets = () if fields["scope"] == "all" else _demo_targets(fields, facilities,
                                                                     categories)
        if fields["scope"] != "all" and not targets:
            continue
        promotion_data = drafts.PromotionData(
            name=fields["name"], description=fields["description"], starts_at=start,
            ends_at=start + timedelta(days=fields["days"]), benefit=fields["benefit"],
            value=fields["value"], scope=fields["scope"], targets=targets,
            max_uses=fields.get("max_uses"),
            max_uses_per_customer=fields.get("max_uses_per_customer"),
            budget=fields.get("budget"), funding=fields["funding"],
            redemption=fields["redemption"], combinable=fields.get("combinable", False),
            shared_code=fields.get("code"))
        author = users.get(fields["partner"])
        promotion = drafts.create_promotion(partners[fields["partner"]].id, author,
                                            promotion_data, slug=fields["slug"])
        approval.submit_promotion(promotion, author)
        if admin is not None:
            approval.approve_promotion(promotion, admin, "Promo contoh (demo).")
        created += 1
    echo(f"Promo demo baru: {created}")
    return created


def seed_demo(echo=print) -> int:
    """Add the demo facilities, categories and products that are missing; returns how many
    products were created (0 on a second run)."""
    categories = _seed_categories()
    facilities = _seed_facilities()
    created = _seed_products(facilities, categories, echo)
    db.session.commit()
    partners = _seed_partners()
    _seed_accounts(facilities, echo)
    _link_partner_users(partners)
    _seed_promotions(partners, facilities, categories, echo)
    echo(data.DEMO_NOTE)
    return created
