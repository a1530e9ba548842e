"""Writes of the Kanwil's management screens (/admin/manage).

Every verb checks its rules, writes its change together with an audit record naming the admin
and commits (or rolls back and raises `ManageError` with an Indonesian message safe to show).
Products reuse the staff services (shop.catalog.staff_services); accounts reuse the account
services (shop.accounts.provisioning, shop.accounts.services).
"""

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from shop.accounts.models import User
from shop.accounts.provisioning import AccountError, _new_user, create_partner_user, create_staff
from shop.accounts.services import RESET_MAX_AGE, make_reset_token
from shop.catalog.models import Category, Product
from shop.catalog.services import CatalogError, create_category
from shop.catalog.staff_services import create_staff_product
from shop.core.audit import AuditEntry, record
from shop.core.paging import Page
from shop.core.slugs import unique_slug
from shop.core.text import escape_like
from shop.extensions import db
from shop.facilities.models import FACILITY_KINDS, SHIPPING_ZONES, Facility, ShippingRate
from shop.facilities.services import FacilityError, create_facility, set_shipping_rate
from shop.mail.services import queue_email
from shop.promotions.partners import (
    PARTNER_KINDS,
    PartnerError,
    PartnerOrganization,
    create_partner,
    link_user,
)

SPLIT_FIELDS = ("premi_percent", "pnbp_percent", "capital_percent")
# What the facility form edits (the slug stays: it is in public URLs).
FACILITY_FIELDS = (
    "name", "kind", "facility_class", "town", "regency", "address", "phone", "email",
    "opening_hours", "profile", "profile_en", "programmes", "programmes_en", *SPLIT_FIELDS,
)
PARTNER_FIELDS = ("name", "kind", "contact_name", "contact_email", "contact_phone")
ACCOUNT_ROLES = ("facility_staff", "partner", "admin", "customer")
PER_PAGE = 50


class ManageError(ValueError):
    """A management rule was broken; the message is Indonesian and safe to show."""


def _commit():
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _short(value):
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


# ------------------------------------------------------------------ facilities

def split_problem(premi, pnbp, capital) -> str | None:
    """Why a revenue split is refused (None when it is fine): whole percents, 0..100, sum 100."""
    parts = (premi, pnbp, capital)
    if any(not isinstance(p, int) or isinstance(p, bool) or not 0 <= p <= 100 for p in parts):
        return _("Pembagian hasil ditulis sebagai persen bulat antara 0 dan 100.")
    total = sum(parts)
    if total != 100:
        return _("Premi, PNBP dan modal kerja harus berjumlah 100%%, sekarang %(total)s%% "
                 "(%(premi)s + %(pnbp)s + %(capital)s).",
                 total=total, premi=premi, pnbp=pnbp, capital=capital)
    return None


def _check_facility(fields):
    unknown = set(fields) - set(FACILITY_FIELDS)
    if unknown:
        raise ManageError(_("Kolom tidak dapat diubah: %(f)s.", f=", ".join(sorted(unknown))))
    if fields.get("kind") not in FACILITY_KINDS:
        raise ManageError(_("Jenis unit tidak dikenal."))
    for name in ("name", "town", "regency"):
        if not (fields.get(name) or "").strip():
            raise ManageError(_("Nama, kota dan kabupaten/kota wajib diisi."))
    problem = split_problem(*(fields.get(name) for name in SPLIT_FIELDS))
    if problem:
        raise ManageError(problem)


def _split_text(facility):
    return f"{facility.premi_percent}/{facility.pnbp_percent}/{facility.capital_percent}"


def add_facility(actor, **fields) -> Facility:
    """A new facility (active), its slug made from the name."""
    _check_facility(fields)
    try:
        slug = unique_slug(fields["name"], lambda s: db.session.scalar(
            select(Facility.id).where(Facility.slug == s)) is not None)
        facility = create_facility(slug=slug, **fields)
        record("facility.created", actor=actor, facility_id=facility.id, subject=facility.slug,
               to_value=_split_text(facility))
        db.session.commit()
    except FacilityError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return facility


def update_facility(facility, actor, **fields) -> Facility:
    """Change the facility's details and revenue split; audit what changed."""
    _check_facility(fields)
    try:
        old_split = _split_text(facility)
        changes = []
        for name, value in fields.items():
            if getattr(facility, name) != value:
                if name not in SPLIT_FIELDS:
                    changes.append(f"{name}: {_short(getattr(facility, name))} → {_short(value)}")
                setattr(facility, name, value)
        new_split = _split_text(facility)
        if changes or new_split != old_split:
            record("facility.updated", actor=actor, facility_id=facility.id,
                   subject=facility.slug,
                   from_value=old_split if new_split != old_split else None,
                   to_value=new_split if new_split != old_split else None,
                   note="; ".join(changes))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return facility


def set_facility_active(facility, actor, active: bool) -> Facility:
    """Deactivate (its products leave the shop at once: the public queries show active
    facilities only) or reactivate a facility. Orders are not touched: paid parcels stay on
    the facility's desk and can be fulfilled."""
    if facility.is_active == active:
        return facility
    facility.is_active = active
    record("facility.activated" if active else "facility.deactivated", actor=actor,
           facility_id=facility.id, subject=facility.slug,
           from_value="inactive" if active else "active",
           to_value="active" if active else "inactive")
    _commit()
    return facility


def shipping_rates(facility) -> dict[str, ShippingRate]:
    return {rate.zone: rate for rate in db.session.scalars(
        select(ShippingRate).where(ShippingRate.facility_id == facility.id))}


def update_shipping_rates(facility, actor, rates: dict[str, tuple[int, int]]) -> None:
    """Set the facility's rate (first kilogram, each further kilogram) for every zone given."""
    if set(rates) - set(SHIPPING_ZONES):
        raise ManageError(_("Zona pengiriman tidak dikenal."))
    try:
        current = shipping_rates(facility)
        changes = []
        for zone, (first_kg, next_kg) in rates.items():
            old = current.get(zone)
            before = (old.first_kg, old.next_kg) if old is not None else None
            if before == (first_kg, next_kg):
                continue
            set_shipping_rate(facility, zone, first_kg, next_kg)
            was = "-" if before is None else f"{before[0]}+{before[1]}"
            changes.append(f"{zone}: {was} → {first_kg}+{next_kg}")
        if changes:
            record("facility.shipping_rates", actor=actor, facility_id=facility.id,
                   subject=facility.slug, note="; ".join(changes))
        db.session.commit()
    except FacilityError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise


def facility_rows():
    """Every facility (active and inactive) with its number of active products: 1 query."""
    active_products = (
        select(func.count(Product.id))
        .where(Product.facility_id == Facility.id, Product.status == "active")
        .correlate(Facility).scalar_subquery()
    )
    return db.session.execute(
        select(Facility, active_products.label("active_products"))
        .order_by(Facility.is_active.desc(), Facility.name)
    ).all()


# ------------------------------------------------------------------ categories

def add_category(actor, name, name_en=None, parent_id=None) -> Category:
    """A category; with a parent, that parent must be top level (two levels at most)."""
    name = (name or "").strip()
    if not name:
        raise ManageError(_("Nama kategori wajib diisi."))
    parent = None
    if parent_id is not None:
        parent = db.session.get(Category, parent_id)
        if parent is None:
            raise ManageError(_("Kategori induk tidak dikenal."))
        if parent.parent_id is not None:
            raise ManageError(_("Kategori hanya boleh dua tingkat: %(name)s sudah sub-kategori, "
                                "pilih kategori utama sebagai induk.", name=parent.name))
    try:
        category = create_category(name, name_en=name_en or None, parent=parent)
        record("category.created", actor=actor, subject=category.slug,
               to_value=parent.slug[:60] if parent else None, note=name)
        db.session.commit()
    except CatalogError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return category


def rename_category(category, actor, name, name_en=None) -> Category:
    """A new name (the slug stays, so links keep working)."""
    name = (name or "").strip()
    if not name:
        raise ManageError(_("Nama kategori wajib diisi."))
    name_en = (name_en or "").strip() or None
    if (category.name, category.name_en) == (name, name_en):
        return category
    record("category.renamed", actor=actor, subject=category.slug,
           from_value=_short(category.name), to_value=_short(name),
           note=f"name_en: {_short(category.name_en)} → {_short(name_en)}")
    category.name, category.name_en = name, name_en
    _commit()
    return category


# ------------------------------------------------------------------ products

class ActingFor:
    """The admin acting for one facility: the staff services read the facility from
    `actor.facility` and record the actor's id and e-mail, so the audit names the admin."""

    def __init__(self, user, facility):
        self.id, self.email, self.facility = user.id, user.email, facility


def add_product(actor, facility, **kwargs) -> Product:
    """A new product of `facility`, created by an admin (the staff service does the rest)."""
    if facility is None:
        raise ManageError(_("Pilih Lapas/Rutan pemilik produk."))
    return create_staff_product(ActingFor(actor, facility), **kwargs)


def product_page(facility_id=None, status=None, q="", page=1) -> Page:
    stmt = select(Product).join(Product.facility)
    if facility_id:
        stmt = stmt.where(Product.facility_id == facility_id)
    if status in ("draft", "active", "archived"):
        stmt = stmt.where(Product.status == status)
    q = (q or "").strip()[:80]
    if q:
        pattern = f"%{escape_like(q.lower())}%"
        stmt = stmt.where(or_(func.lower(Product.name).like(pattern, escape="\\"),
                              func.lower(Product.slug).like(pattern, escape="\\")))
    return _page(stmt, page, Facility.name, Product.name, Product.id)


def _page(stmt, page, *order_by) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page = min(max(page, 1), max(1, -(-total // PER_PAGE)))
    items = db.session.scalars(
        stmt.order_by(*order_by).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(items=list(items), total=total, page=page, per_page=PER_PAGE)


# ------------------------------------------------------------------ accounts

def account_page(role=None, q="", page=1) -> Page:
    """Accounts, newest first; without a role, everyone but customers."""
    stmt = select(User)
    if role in ACCOUNT_ROLES:
        stmt = stmt.where(User.role == role)
    else:
        stmt = stmt.where(User.role != "customer")
    q = (q or "").strip()[:80]
    if q:
        pattern = f"%{escape_like(q.lower())}%"
        stmt = stmt.where(or_(func.lower(User.email).like(pattern, escape="\\"),
                              func.lower(User.name).like(pattern, escape="\\")))
    return _page(stmt, page, User.role, User.email)


def _set_password_link(user):
    return url_for("accounts.reset_password", token=make_reset_token(user), _external=True)


def invite_staff(actor, email, name, facility) -> User:
    """A facility staff account; they set their password from the emailed link."""
    if facility is None:
        raise ManageError(_("Pilih Lapas/Rutan tempat petugas bekerja."))
    try:
        user = create_staff(email, facility, name)  # commits, queues the invitation
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    record("account.invited", actor=actor, facility_id=facility.id, subject=user.email,
           to_value="facility_staff")
    _commit()
    return user


def invite_partner_user(actor, email, name, partner) -> User:
    """A partner user of one partner organisation; they set their password from the link."""
    if partner is None:
        raise ManageError(_("Pilih organisasi mitra."))
    try:
        user = create_partner_user(email, name)  # commits
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    try:
        link_user(user, partner, actor)
        queue_email(user.email, _("Akun mitra %(org)s di Etalase Binaan", org=partner.name),
                    "admin_invite", user=user, link=_set_password_link(user),
                    role_label=_("mitra"), organisation=partner.name,
                    valid_minutes=RESET_MAX_AGE // 60)
        record("account.invited", actor=actor, subject=user.email, to_value="partner",
               note=partner.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return user


def invite_admin(actor, email, name) -> User:
    """Another Kanwil admin, without a password: they set one from the emailed link."""
    try:
        user = _new_user(email, "admin", name)
        record("account.created", actor=actor, subject=user.email, to_value="admin")
        queue_email(user.email, _("Akun admin Kanwil di Etalase Binaan"), "admin_invite",
                    user=user, link=_set_password_link(user), role_label=_("admin Kanwil"),
                    organisation=_("Kanwil Ditjenpas Maluku Utara"),
                    valid_minutes=RESET_MAX_AGE // 60)
        record("account.invited", actor=actor, subject=user.email, to_value="admin")
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return user


def set_user_active(user, actor, active: bool) -> User:
    """Deactivate (the account can no longer sign in, and the bumped session version ends its
    open sessions and unused links) or reactivate an account. Nobody deactivates themself."""
    if not active and user.id == actor.id:
        raise ManageError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.is_active_account == active:
        return user
    user.is_active_account = active
    if not active:
        user.session_version = (user.session_version or 1) + 1
    record("account.activated" if active else "account.deactivated", actor=actor,
           facility_id=user.facility_id, subject=user.email,
           from_value="inactive" if active else "active",
           to_value="active" if active else "inactive")
    _commit()
    return user


def send_password_reset(user, actor) -> None:
    """E-mail the account a link to set a new password (also a fresh invitation link)."""
    if not user.is_active:
        raise ManageError(_("Akun ini nonaktif. Aktifkan dulu sebelum mengirim tautan."))
    try:
        queue_email(user.email, _("Atur ulang kata sandi Etalase Binaan"), "password_reset",
                    user=user, link=_set_password_link(user), valid_minutes=RESET_MAX_AGE // 60)
        record("account.reset_sent", actor=actor, facility_id=user.facility_id,
               subject=user.email)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


# ------------------------------------------------------------------ partner organisations

def _check_partner(fields):
    if set(fields) - set(PARTNER_FIELDS):
        raise ManageError(_("Kolom tidak dikenal."))
    if not (fields.get("name") or "").strip():
        raise ManageError(_("Nama organisasi mitra wajib diisi."))
    if fields.get("kind") not in PARTNER_KINDS:
        raise ManageError(_("Jenis mitra tidak dikenal."))


def add_partner(actor, **fields) -> PartnerOrganization:
    _check_partner(fields)
    try:
        partner = create_partner(fields.pop("name"), fields.pop("kind"), **fields)
        # create_partner records "partner.created" without an actor: name the admin.
        for entry in db.session.new:
            if (isinstance(entry, AuditEntry) and entry.kind == "partner.created"
                    and entry.subject == partner.slug):
                entry.actor_id, entry.actor_label = actor.id, actor.email
        db.session.commit()
    except PartnerError as exc:
        db.session.rollback()
        raise ManageError(str(exc)) from None
    except Exception:
        db.session.rollback()
        raise
    return partner


def update_partner(partner, actor, **fields) -> PartnerOrganization:
    _check_partner(fields)
    changes = []
    for name, value in fields.items():
        if getattr(partner, name) != value:
            changes.append(f"{name}: {_short(getattr(partner, name))} → {_short(value)}")
            setattr(partner, name, value)
    if changes:
        record("partner.updated", actor=actor, subject=partner.slug, note="; ".join(changes))
    _commit()
    return partner


def partner_rows():
    """Partner organisations with their number of users: 1 query."""
    users = (select(func.count(User.id)).where(User.partner_id == PartnerOrganization.id)
             .correlate(PartnerOrganization).scalar_subquery())
    return db.session.execute(
        select(PartnerOrganization, users.label("users")).order_by(PartnerOrganization.name)
    ).all()
