"""Kanwil management (/admin/manage): only admins get in; facilities (revenue split, shipping
rates, deactivation), categories (two levels), any facility's products through the staff
forms, accounts (invitations with working set-password links, deactivation that ends
sessions) and partner organisations. Every write leaves an audit row naming the admin."""

import re

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.catalog.models import Category, Product, StockAdjustment
from shop.core.audit import AuditEntry
from shop.extensions import db
from shop.facilities.models import Facility, ShippingRate
from shop.mail.models import OutboxMessage
from shop.orders.models import FacilityOrder
from shop.promotions.partners import PartnerOrganization
from tests.factories import PASSWORD, login

BASE = "/admin/manage"


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    login(client, admin.email)
    return client


def audit_rows(kind, **where):
    stmt = select(AuditEntry).where(AuditEntry.kind == kind)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, name) == value)
    return list(db.session.scalars(stmt))


def facility_form(facility, **overrides):
    data = {name: getattr(facility, name) or "" for name in (
        "name", "kind", "facility_class", "town", "regency", "address", "phone", "email",
        "opening_hours", "profile", "profile_en", "programmes", "programmes_en")}
    data.update(premi_percent=str(facility.premi_percent),
                pnbp_percent=str(facility.pnbp_percent),
                capital_percent=str(facility.capital_percent))
    data.update(overrides)
    return data


# ------------------------------------------------------------------ access

def _every_route(app, facility, product, category, user, partner_org):
    values = {"slug": None, "category_id": category.id, "user_id": user.id, "variant_id": 1,
              "image_id": 1}  # a product photo (none: only non-admins post there, 403 first)
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin_manage."):
            continue
        path = rule.rule
        if "<slug>" in path:
            slug = (partner_org.slug if "/partners/" in path
                    else product.slug if "/products/" in path else facility.slug)
            path = path.replace("<slug>", slug)
        path = re.sub(r"<int:(\w+)>", lambda m: str(values[m.group(1)]), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_only_admins_reach_management(app, people, facility_a, product_a, db_session):
    from shop.promotions.partners import create_partner

    org = create_partner("Dinas Ketenagakerjaan Kota Ternate")
    db_session.commit()
    category = db_session.get(Category, product_a.category_id)
    routes = list(_every_route(app, facility_a, product_a, category, people.customer, org))
    assert len(routes) >= 20
    anonymous = app.test_client()
    clients = {}
    for who in ("staff_a", "customer", "partner", "admin"):
        clients[who] = app.test_client()
        login(clients[who], getattr(people, who).email)
    for method, path in routes:
        response = anonymous.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert "/account/login" in response.headers["Location"], (method, path)
        for who in ("staff_a", "customer", "partner"):
            assert clients[who].open(path, method=method).status_code == 403, (who, method, path)
    for method, path in routes:
        if method == "GET":
            expected = 302 if path == f"{BASE}/" else 200  # the index leads to facilities
            assert clients["admin"].get(path).status_code == expected, path


# ------------------------------------------------------------------ facilities

def test_facility_list_shows_active_and_inactive(admin_client, gen_facility):
    gen_facility(name="Lapas Ternate")
    gen_facility(name="Rutan Lama Tutup", is_active=False)
    page = admin_client.get(f"{BASE}/facilities").get_data(as_text=True)
    assert "Lapas Ternate" in page and "Rutan Lama Tutup" in page
    assert "Nonaktif" in page
    assert 'href="/admin/manage/facilities"' in page  # the Kanwil menu links here


def test_admin_creates_and_edits_a_facility(admin_client, admin, db_session):
    response = admin_client.post(f"{BASE}/facilities/new", data={
        "name": "LPKA Ternate", "kind": "lpka", "facility_class": "II", "town": "Ternate",
        "regency": "Kota Ternate", "address": "Jl. Kalumata", "phone": "+62921000000",
        "email": "lpka.ternate@example.org", "opening_hours": "Senin–Jumat 08.00–15.00 WIT",
        "profile": "Pembinaan anak.", "profile_en": "", "programmes": "Menjahit\nKriya",
        "programmes_en": "", "premi_percent": "40", "pnbp_percent": "20",
        "capital_percent": "40"})
    assert response.status_code == 302, response.get_data(as_text=True)
    facility = db_session.scalar(select(Facility).where(Facility.name == "LPKA Ternate"))
    assert facility.slug == "lpka-ternate" and facility.is_active
    assert (facility.premi_percent, facility.pnbp_percent, facility.capital_percent) == (40, 20, 40)
    assert facility.profile_en is None and facility.programme_list() == ["Menjahit", "Kriya"]
    created = audit_rows("facility.created", subject="lpka-ternate")
    assert created and created[0].actor_id == admin.id and created[0].to_value == "40/20/40"

    response = admin_client.post(f"{BASE}/facilities/lpka-ternate/edit", data=facility_form(
        facility, opening_hours="Senin–Sabtu 08.00–12.00 WIT", premi_percent="50",
        pnbp_percent="15", capital_percent="35", profile_en="Training for minors."))
    assert response.status_code == 302
    db_session.expire_all()
    facility = db_session.get(Facility, facility.id)
    assert facility.opening_hours == "Senin–Sabtu 08.00–12.00 WIT"
    assert facility.profile_en == "Training for minors."
    assert (facility.premi_percent, facility.pnbp_percent, facility.capital_percent) == (50, 15, 35)
    updated = audit_rows("facility.updated", subject="lpka-ternate")
    assert updated[0].from_value == "40/20/40" and updated[0].to_value == "50/15/35"
    assert "opening_hours" in updated[0].note and updated[0].actor_id == admin.id


@pytest.mark.parametrize("split", [("50", "15", "30"), ("60", "30", "20"), ("50", "15", "35.5"),
                                   ("101", "0", "-1"), ("", "50", "50")])
def test_split_must_be_whole_percents_summing_to_100(admin_client, facility_a, db_session,
                                                     split):
    premi, pnbp, capital = split
    response = admin_client.post(f"{BASE}/facilities/{facility_a.slug}/edit", data=facility_form(
        facility_a, name="Nama Baru", premi_percent=premi, pnbp_percent=pnbp,
        capital_percent=capital))
    assert response.status_code == 422
    db_session.expire_all()
    facility = db_session.get(Facility, facility_a.id)
    assert facility.name == "Lapas Sanana"  # nothing saved
    assert (facility.premi_percent, facility.pnbp_percent, facility.capital_percent) == (50, 15, 35)
    assert not audit_rows("facility.updated")
    if split in (("50", "15", "30"), ("60", "30", "20")):
        total = sum(int(p) for p in split)
        page = response.get_data(as_text=True)
        assert f"harus berjumlah 100%, sekarang {total}%" in page
        assert 'role="alert"' in page
    # The same form with a split that adds up is saved: only the split was wrong.
    response = admin_client.post(f"{BASE}/facilities/{facility_a.slug}/edit", data=facility_form(
        facility_a, name="Nama Baru", premi_percent="45", pnbp_percent="20",
        capital_percent="35"))
    assert response.status_code == 302
    db_session.expire_all()
    facility = db_session.get(Facility, facility_a.id)
    assert (facility.name, facility.premi_percent, facility.pnbp_percent) == ("Nama Baru", 45, 20)


def test_a_new_facility_with_a_bad_split_is_not_created(admin_client, db_session):
    response = admin_client.post(f"{BASE}/facilities/new", data={
        "name": "Rutan Baru", "kind": "rutan", "town": "Tobelo", "regency": "Halmahera Utara",
        "premi_percent": "50", "pnbp_percent": "50", "capital_percent": "50"})
    assert response.status_code == 422
    assert "sekarang 150%" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Facility.id))) == 0


def test_deactivating_a_facility_hides_its_products_but_keeps_its_paid_parcel(
        app, admin_client, admin, paid_order, staff_a, product_a, product_b, facility_a):
    parcel = paid_order.a.number

    def shop_shows(product):
        html = app.test_client().get("/products").get_data(as_text=True)
        api = app.test_client().get("/api/v1/products").get_json()
        in_api = product.slug in {item["slug"] for item in api["items"]}
        assert (product.name in html) == in_api
        detail = app.test_client().get(f"/products/{product.slug}").status_code
        assert detail == (200 if in_api else 404)
        return in_api

    assert shop_shows(product_a) and shop_shows(product_b)
    response = admin_client.post(f"{BASE}/facilities/{facility_a.slug}/deactivate")
    assert response.status_code == 302
    assert not shop_shows(product_a)
    assert shop_shows(product_b)  # the other facility is untouched
    assert audit_rows("facility.deactivated", subject=facility_a.slug)[0].actor_id == admin.id

    # Its staff still see and can work on the paid parcel.
    desk_client = app.test_client()
    login(desk_client, staff_a.email)
    assert parcel in desk_client.get("/staff/").get_data(as_text=True)
    assert desk_client.get(f"/staff/orders/{parcel}").status_code == 200
    moved = desk_client.post(f"/staff/orders/{parcel}/move", data={"to": "accepted"})
    assert moved.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(FacilityOrder, paid_order.a.id).status == "accepted"

    # Inactive facilities stay listed for the admin, and come back.
    assert "Nonaktif" in admin_client.get(f"{BASE}/facilities").get_data(as_text=True)
    admin_client.post(f"{BASE}/facilities/{facility_a.slug}/reactivate")
    assert shop_shows(product_a)
    assert audit_rows("facility.activated", subject=facility_a.slug)


def test_rate_table_changes_checkout_shipping(admin_client, admin, facility_a, product_a, gen_order,
                                              db_session):
    # The customer's address (Kota Ternate) is in North Maluku, not Sanana's own town.
    # 5 × 250 g = 1.25 kg: the first kilogram and one more.
    order, _ = gen_order({product_a: 5}, {facility_a.slug: "courier"})
    assert order.facility_orders[0].shipping_zone == "north_maluku"
    assert order.facility_orders[0].shipping == 25_000 + 10_000

    page = admin_client.get(f"{BASE}/facilities/{facility_a.slug}/rates").get_data(as_text=True)
    assert 'value="25000"' in page and 'value="10000"' in page
    response = admin_client.post(f"{BASE}/facilities/{facility_a.slug}/rates", data={
        "same_town_first": "10000", "same_town_next": "4000",
        "north_maluku_first": "Rp30.000", "north_maluku_next": "12.500",
        "indonesia_first": "55000", "indonesia_next": "22000"})
    assert response.status_code == 302, response.get_data(as_text=True)
    order, _ = gen_order({product_a: 5}, {facility_a.slug: "courier"})
    assert order.facility_orders[0].shipping == 30_000 + 12_500
    entry = audit_rows("facility.shipping_rates", subject=facility_a.slug)[0]
    assert entry.actor_id == admin.id and "north_maluku" in entry.note
    assert "same_town" not in entry.note  # unchanged zones are not logged

    refused = admin_client.post(f"{BASE}/facilities/{facility_a.slug}/rates", data={
        "same_town_first": "-5", "same_town_next": "4000", "north_maluku_first": "",
        "north_maluku_next": "1", "indonesia_first": "1,5", "indonesia_next": "0"})
    assert refused.status_code == 422
    rate = db_session.scalar(select(ShippingRate).where(
        ShippingRate.facility_id == facility_a.id, ShippingRate.zone == "same_town"))
    assert (rate.first_kg, rate.next_kg) == (10_000, 4_000)


# ------------------------------------------------------------------ categories

def test_categories_two_levels_create_and_rename(admin_client, admin, db_session):
    def create(name, parent=None):
        return admin_client.post(f"{BASE}/categories", data={
            "name": name, "name_en": "", "parent": str(parent.id) if parent else ""})

    assert create("Makanan").status_code == 302
    food = db_session.scalar(select(Category).where(Category.name == "Makanan"))
    assert create("Sambal", food).status_code == 302
    sambal = db_session.scalar(select(Category).where(Category.name == "Sambal"))
    assert sambal.parent_id == food.id

    refused = create("Sambal Roa", sambal)
    assert refused.status_code == 422
    assert "dua tingkat" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Category.id))) == 2
    assert create("Yatim", type("Missing", (), {"id": 999_999})).status_code == 422
    tampered = admin_client.post(f"{BASE}/categories", data={"name": "Aneh", "parent": "x1"})
    assert tampered.status_code == 422
    assert "Kategori induk tidak dikenal" in tampered.get_data(as_text=True)

    page = admin_client.get(f"{BASE}/categories").get_data(as_text=True)
    assert page.index("Makanan") < page.index("Sambal")
    response = admin_client.post(f"{BASE}/categories/{sambal.id}/edit",
                                 data={"name": "Sambal & Saus", "name_en": "Sauces"})
    assert response.status_code == 302
    db_session.expire_all()
    sambal = db_session.get(Category, sambal.id)
    assert (sambal.name, sambal.name_en, sambal.slug) == ("Sambal & Saus", "Sauces", "sambal")
    assert [e.actor_id for e in audit_rows("category.created")] == [admin.id, admin.id]
    assert audit_rows("category.renamed", subject="sambal")[0].to_value == "Sambal & Saus"


# ------------------------------------------------------------------ products

def test_admin_creates_and_edits_a_product_of_any_facility(
        app, admin_client, admin, facility_a, facility_b, staff_b, gen_category, db_session):
    category = gen_category("Kerajinan", slug="kerajinan")
    form = admin_client.get(f"{BASE}/products/new?facility={facility_b.id}")
    assert form.status_code == 200
    assert re.search(rf'<option selected value="{facility_b.id}">|'
                     rf'<option value="{facility_b.id}" selected', form.get_data(as_text=True))
    response = admin_client.post(f"{BASE}/products/new", data={
        "facility": str(facility_b.id), "name": "Tikar Pandan Soasio", "name_en": "",
        "description": "Anyaman pandan.", "description_en": "", "category": str(category.id),
        "price": "Rp75.000", "unit": "piece", "weight_grams": "900", "pirt_number": "",
        "bpom_number": "", "halal_number": "", "status": "active", "initial_stock": "4",
        "photo_alt": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    product = db_session.scalar(select(Product).where(Product.name == "Tikar Pandan Soasio"))
    assert product.facility_id == facility_b.id and product.price == 75_000
    assert product.stock == 4 and product.status == "active"
    created = audit_rows("product.created", subject=product.slug)[0]
    assert created.actor_id == admin.id and created.facility_id == facility_b.id
    adjustment = db_session.scalar(select(StockAdjustment).where(
        StockAdjustment.product_id == product.id))
    assert adjustment.user_id == admin.id and adjustment.reason == "Stok awal"

    # The facility's staff see it on their desk; the shop sells it.
    desk_client = app.test_client()
    login(desk_client, staff_b.email)
    assert "Tikar Pandan Soasio" in desk_client.get("/staff/products/").get_data(as_text=True)
    assert app.test_client().get(f"/products/{product.slug}").status_code == 200

    # Edit through the same staff form.
    edit = admin_client.get(f"{BASE}/products/{product.slug}/edit")
    assert edit.status_code == 200 and "Rutan Soasio" in edit.get_data(as_text=True)
    response = admin_client.post(f"{BASE}/products/{product.slug}/edit", data={
        "name": "Tikar Pandan Soasio", "description": "Anyaman pandan, 1 × 2 m.",
        "category": str(category.id), "price": "80000", "unit": "piece",
        "weight_grams": "900", "status": "active", "photo_alt": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    product = db_session.get(Product, product.id)
    assert product.price == 80_000 and product.description == "Anyaman pandan, 1 × 2 m."
    updated = audit_rows("product.updated", subject=product.slug)[0]
    assert (updated.actor_id, updated.from_value, updated.to_value) == (admin.id, "75000",
                                                                       "80000")

    # Stock and archive, also across facilities.
    assert admin_client.post(f"{BASE}/products/{product.slug}/stock",
                             data={"change": "-1", "reason": "Rusak saat kirim"}
                             ).status_code == 302
    assert admin_client.post(f"{BASE}/products/{product.slug}/stock",
                             data={"change": "-99", "reason": "Terlalu banyak"}
                             ).status_code == 422
    assert admin_client.post(f"{BASE}/products/{product.slug}/archive").status_code == 302
    db_session.expire_all()
    product = db_session.get(Product, product.id)
    assert (product.stock, product.status) == (3, "archived")
    assert audit_rows("product.status", subject=product.slug)[-1].actor_id == admin.id

    # The list filters by facility and status.
    listing = admin_client.get(f"{BASE}/products?facility={facility_b.id}&status=archived")
    assert "Tikar Pandan Soasio" in listing.get_data(as_text=True)
    listing = admin_client.get(f"{BASE}/products?facility={facility_a.id}")
    assert "Tikar Pandan Soasio" not in listing.get_data(as_text=True)
    listing = admin_client.get(f"{BASE}/products?status=active")
    assert "Tikar Pandan Soasio" not in listing.get_data(as_text=True)


def test_a_new_product_needs_a_facility(admin_client, facility_a, gen_category, db_session):
    category = gen_category()
    for facility in ("", "abc", "999"):
        response = admin_client.post(f"{BASE}/products/new", data={
            "facility": facility, "name": "Tanpa Unit", "category": str(category.id),
            "price": "1000", "unit": "piece", "status": "draft"})
        assert response.status_code == 422
        assert "Pilih Lapas/Rutan pemilik produk" in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(Product.id))) == 0


# ------------------------------------------------------------------ accounts

def _link_in_last_mail(to):
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)
                                 .order_by(OutboxMessage.id.desc())).first()
    assert message is not None, f"no mail to {to}"
    match = re.search(r"https?://\S+/account/reset/\S+", message.text_body)
    assert match, message.text_body
    return message, match.group(0)


def _set_password_through(app, link, password):
    client = app.test_client()
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": password, "confirm": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def test_inviting_staff_sends_a_working_set_password_link(app, admin_client, admin, facility_a,
                                                          db_session):
    response = admin_client.post(f"{BASE}/accounts/invite", data={
        "role": "facility_staff", "email": "Petugas.Baru@Example.org", "name": "Petugas Baru",
        "facility": str(facility_a.id), "partner": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "petugas.baru@example.org"))
    assert user.role == "facility_staff" and user.facility_id == facility_a.id
    assert user.password_hash is None
    message, link = _link_in_last_mail(user.email)
    assert "Lapas Sanana" in message.subject

    client = _set_password_through(app, link, "kata-sandi-baru-123")
    assert client.get("/staff/").status_code == 200  # signed in by the reset
    fresh = app.test_client()
    login(fresh, user.email, "kata-sandi-baru-123")
    assert fresh.get("/staff/").status_code == 200
    # The link is single use.
    assert app.test_client().get("/" + link.split("/", 3)[3]).status_code == 400
    invited = audit_rows("account.invited", subject=user.email)[0]
    assert invited.actor_id == admin.id and invited.facility_id == facility_a.id

    again = admin_client.post(f"{BASE}/accounts/invite", data={
        "role": "facility_staff", "email": "petugas.baru@example.org", "name": "Lagi",
        "facility": str(facility_a.id)})
    assert again.status_code == 422 and "sudah terdaftar" in again.get_data(as_text=True)
    no_facility = admin_client.post(f"{BASE}/accounts/invite", data={
        "role": "facility_staff", "email": "lain@example.org", "name": "Lain", "facility": ""})
    assert no_facility.status_code == 422
    assert db_session.scalar(select(User).where(User.email == "lain@example.org")) is None


def test_inviting_partner_users_and_admins(app, admin_client, admin, db_session):
    assert admin_client.post(f"{BASE}/partners/new", data={
        "name": "Dinas Ketenagakerjaan Kota Ternate", "kind": "government",
        "contact_name": "Ibu Sari", "contact_email": "disnaker@example.org",
        "contact_phone": "0921 123"}).status_code == 302
    org = db_session.scalar(select(PartnerOrganization))
    assert org.contact_name == "Ibu Sari"
    assert audit_rows("partner.created", subject=org.slug)[0].actor_id == admin.id

    response = admin_client.post(f"{BASE}/accounts/invite", data={
        "role": "partner", "email": "staf@disnaker.example.org", "name": "Staf Disnaker",
        "partner": str(org.id), "facility": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "staf@disnaker.example.org"))
    assert (user.role, user.partner_id, user.password_hash) == ("partner", org.id, None)
    message, link = _link_in_last_mail(user.email)
    assert org.name in message.text_body
    _set_password_through(app, link, "mitra-sandi-panjang")
    assert audit_rows("partner.user_linked", subject=user.email)[0].actor_id == admin.id

    response = admin_client.post(f"{BASE}/accounts/invite", data={
        "role": "admin", "email": "admin2@example.org", "name": "Admin Dua"})
    assert response.status_code == 302, response.get_data(as_text=True)
    other = db_session.scalar(select(User).where(User.email == "admin2@example.org"))
    assert (other.role, other.facility_id, other.password_hash) == ("admin", None, None)
    _, link = _link_in_last_mail(other.email)
    client = _set_password_through(app, link, "admin-dua-sandi-panjang")
    assert client.get(f"{BASE}/facilities").status_code == 200
    assert audit_rows("account.created", subject=other.email)[0].actor_id == admin.id

    page = admin_client.get(f"{BASE}/accounts").get_data(as_text=True)
    assert "staf@disnaker.example.org" in page and org.name in page
    assert "admin2@example.org" in page

    # Partner organisation edit.
    assert admin_client.post(f"{BASE}/partners/{org.slug}/edit", data={
        "name": org.name, "kind": "government", "contact_name": "Bapak Rudi",
        "contact_email": "", "contact_phone": ""}).status_code == 302
    db_session.expire_all()
    assert db_session.get(PartnerOrganization, org.id).contact_name == "Bapak Rudi"
    assert "contact_name" in audit_rows("partner.updated", subject=org.slug)[0].note
    assert admin_client.post(f"{BASE}/partners/new", data={
        "name": "", "kind": "alien"}).status_code == 422


def test_deactivating_a_user_ends_their_sessions_and_sign_in(app, admin_client, admin, staff_a,
                                                             db_session):
    desk_client = app.test_client()
    login(desk_client, staff_a.email)
    assert desk_client.get("/staff/").status_code == 200

    response = admin_client.post(f"{BASE}/accounts/{staff_a.id}/deactivate")
    assert response.status_code == 302
    ended = desk_client.get("/staff/")
    assert ended.status_code == 302 and "/account/login" in ended.headers["Location"]
    refused = app.test_client().post("/account/login",
                                     data={"email": staff_a.email, "password": PASSWORD})
    assert refused.status_code == 422
    assert "tidak aktif" in refused.get_data(as_text=True)
    entry = audit_rows("account.deactivated", subject=staff_a.email)[0]
    assert entry.actor_id == admin.id and entry.facility_id == staff_a.facility_id
    # A deactivated account gets no reset link either.
    admin_client.post(f"{BASE}/accounts/{staff_a.id}/reset")
    assert db_session.scalar(select(func.count(OutboxMessage.id))) == 0

    assert admin_client.post(f"{BASE}/accounts/{staff_a.id}/reactivate").status_code == 302
    login(app.test_client(), staff_a.email)
    assert audit_rows("account.activated", subject=staff_a.email)


def test_an_admin_cannot_deactivate_themself(admin_client, admin, db_session):
    response = admin_client.post(f"{BASE}/accounts/{admin.id}/deactivate",
                                 follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, admin.id).is_active_account
    assert admin_client.get(f"{BASE}/accounts").status_code == 200
    assert not audit_rows("account.deactivated")


def test_sending_a_password_reset(app, admin_client, admin, staff_a):
    response = admin_client.post(f"{BASE}/accounts/{staff_a.id}/reset")
    assert response.status_code == 302
    _, link = _link_in_last_mail(staff_a.email)
    _set_password_through(app, link, "sandi-pengganti-panjang")
    login(app.test_client(), staff_a.email, "sandi-pengganti-panjang")
    assert audit_rows("account.reset_sent", subject=staff_a.email)[0].actor_id == admin.id


def test_account_list_shows_role_place_and_last_sign_in(admin_client, people):
    page = admin_client.get(f"{BASE}/accounts").get_data(as_text=True)
    assert people.staff_a.email in page and "Lapas Sanana" in page
    assert people.customer.email not in page  # customers have their own tab
    assert "WIT" in page  # the admin's own last sign-in
    assert "Belum pernah" in page  # staff who never signed in
    customers = admin_client.get(f"{BASE}/accounts?role=customer").get_data(as_text=True)
    assert people.customer.email in customers and people.staff_a.email not in customers
    found = admin_client.get(f"{BASE}/accounts?q=soasio").get_data(as_text=True)
    assert people.staff_b.email in found and people.staff_a.email not in found
