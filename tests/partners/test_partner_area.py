"""The partner area (/partner), the Kanwil's promotion desk (/admin/promotions) and the public
landing page (/promo/<slug>): drafts, approval, codes, figures, access, WIT times."""

import csv
import io
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from shop.core.time import to_wit, utcnow
from shop.extensions import db
from shop.orders.models import FacilityOrder, Order
from shop.promotions.models import ParcelDiscount, Promotion, PromotionCode
from tests.factories import ADDRESS, CONTACT

PASSWORD = "rahasia-mitra-panjang-1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    monkeypatch.setattr("shop.accounts.models.generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1000"))


def login(client, email, password=PASSWORD):
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/account/login" not in response.headers["Location"]


def wit_input(dt_utc):
    return to_wit(dt_utc).strftime("%Y-%m-%dT%H:%M")


def promo_form(**overrides):
    now = utcnow()
    data = {
        "name": "Diskon Hari Bakti Pemasyarakatan 20%",
        "description": "Untuk olahan pangan warga binaan.",
        "starts_at": wit_input(now - timedelta(hours=1)),
        "ends_at": wit_input(now + timedelta(days=30)),
        "benefit": "percent", "percent": "20", "amount": "", "scope": "all",
        "min_subtotal": "0", "max_uses": "100", "max_uses_per_customer": "1", "budget": "",
        "funding": "partner", "redemption": "code", "code_mode": "shared",
        "shared_code": "binaan20", "batch_count": "", "batch_prefix": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def world(app, gen_facility, gen_category, gen_product, gen_rates):
    """Two partner organisations with a user each, a Kanwil admin, and a small catalogue:
    Lapas Perempuan (food and a bag), another facility's sambal, a draft product."""
    from shop.accounts.provisioning import create_admin, create_partner_user
    from shop.promotions.partners import create_partner, link_user

    disnaker = create_partner("Dinas Ketenagakerjaan Maluku Utara", "government")
    pemkot = create_partner("Pemkot Ternate", "government")
    db.session.commit()
    users = {}
    for key, email, org in (("disnaker", "disnaker@mitra.example.org", disnaker),
                            ("pemkot", "pemkot@mitra.example.org", pemkot)):
        user = create_partner_user(email, org.name, password=PASSWORD)
        link_user(user, org)
        db.session.commit()
        users[key] = user
    admin = create_admin("kanwil@kanwil.example.org", PASSWORD, "Admin Kanwil")

    lpp = gen_rates(gen_facility(slug="lpp-ternate", name="Lapas Perempuan Ternate"))
    other = gen_rates(gen_facility(slug="rutan-soasio", name="Rutan Soasio",
                                     regency="Kota Tidore Kepulauan"))
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    sambal = gen_category("Sambal", slug="sambal", parent=food)
    craft = gen_category("Kerajinan", slug="kerajinan")
    products = SimpleNamespace(
        roa=gen_product(facility=lpp, category=sambal, name="Sambal Roa Original",
                         price=45_000, stock=50),
        chips=gen_product(facility=lpp, category=food, name="Keripik Pisang Mulu Bebe",
                           price=20_000, stock=50),
        bag=gen_product(facility=lpp, category=craft, name="Tas Rajut Ternate", price=150_000,
                         stock=5),
        soasio=gen_product(facility=other, category=sambal, name="Sambal Pala Soasio",
                            price=30_000, stock=50),
        draft=gen_product(facility=lpp, category=sambal, name="Sambal Cakalang Rahasia",
                           price=40_000, stock=10, status="draft"),
    )
    return SimpleNamespace(disnaker=disnaker, pemkot=pemkot, users=users, admin=admin, lpp=lpp,
                           other=other, food=food, sambal=sambal, craft=craft,
                           products=products)


@pytest.fixture
def clients(app, world):
    """A signed-in client for each of: the Disnaker user, the Pemkot user, the admin."""
    result = {}
    for key, email in (("disnaker", world.users["disnaker"].email),
                       ("pemkot", world.users["pemkot"].email),
                       ("admin", world.admin.email)):
        client = app.test_client()
        login(client, email)
        result[key] = client
    return SimpleNamespace(**result)


def create_via_form(client, **overrides):
    response = client.post("/partner/promotions/new", data=promo_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    promotion_id = int(re.search(r"/partner/promotions/(\d+)$",
                                 response.headers["Location"]).group(1))
    return db.session.get(Promotion, promotion_id)


def approved_promotion(clients, **overrides) -> Promotion:
    """A promotion made through the partner area, submitted and approved by the admin."""
    promotion = create_via_form(clients.disnaker, **overrides)
    assert clients.disnaker.post(f"/partner/promotions/{promotion.id}/submit").status_code == 302
    response = clients.admin.post(f"/admin/promotions/{promotion.id}/approve",
                                  data={"note": "Sesuai program."})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert promotion.approval == "approved"
    return promotion


# ------------------------------------------------------------------ the whole path


def test_draft_submit_approve_and_the_landing_page_lists_the_right_products(
        app, world, clients):
    from shop.core.audit import AuditEntry

    promotion = create_via_form(clients.disnaker, scope="categories",
                                categories=[str(world.food.id)])
    assert promotion.approval == "draft" and promotion.partner_id == world.disnaker.id
    assert [t.category_id for t in promotion.targets] == [world.food.id]
    assert promotion.benefit == "percent" and promotion.value == 20
    assert db.session.scalar(select(PromotionCode.code).where(
        PromotionCode.promotion_id == promotion.id)) == "BINAAN20"  # stored upper-case
    anonymous = app.test_client()
    assert anonymous.get(f"/promo/{promotion.slug}").status_code == 404  # a draft is not public

    listing = clients.disnaker.get("/partner/").get_data(as_text=True)
    assert promotion.name in listing and "Draf" in listing

    assert clients.disnaker.post(f"/partner/promotions/{promotion.id}/submit").status_code == 302
    db.session.refresh(promotion)
    assert promotion.approval == "pending"
    assert anonymous.get(f"/promo/{promotion.slug}").status_code == 404

    # A partner can never approve: not their own, not anyone's.
    for client in (clients.disnaker, clients.pemkot):
        assert client.post(f"/admin/promotions/{promotion.id}/approve").status_code == 403
        assert client.get("/admin/promotions/").status_code == 403
    db.session.refresh(promotion)
    assert promotion.approval == "pending"

    queue = clients.admin.get("/admin/promotions/").get_data(as_text=True)
    assert promotion.name in queue
    review = clients.admin.get(f"/admin/promotions/{promotion.id}").get_data(as_text=True)
    assert "Makanan &amp; Minuman" in review and "BINAAN20" in review
    response = clients.admin.post(f"/admin/promotions/{promotion.id}/approve",
                                  data={"note": "Sesuai program pelatihan."})
    assert response.status_code == 302
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert promotion.approval == "approved" and promotion.approved_by_id == world.admin.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == "promotion.approved"))
    assert entry.subject == promotion.slug and entry.actor_id == world.admin.id
    assert entry.from_value == "pending" and entry.to_value == "approved"
    # Deciding twice is refused.
    again = clients.admin.post(f"/admin/promotions/{promotion.id}/approve", data={})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.kind == "promotion.approved")) == 1

    page = anonymous.get(f"/promo/{promotion.slug}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    p = world.products
    for product in (p.roa, p.chips, p.soasio):  # the category and its sub-category
        assert product.name in body
    for product in (p.bag, p.draft):  # another category; not for sale
        assert product.name not in body
    assert "Diskon 20%" in body and "BINAAN20" in body
    assert "Dinas Ketenagakerjaan Maluku Utara" in body
    assert to_wit(promotion.starts_at).strftime("%d-%m-%Y %H:%M") + " WIT" in body
    assert "3 produk" in body


def test_another_partner_sees_nothing_of_it(app, world, clients):
    promotion = create_via_form(clients.disnaker, name="Promo Rahasia Disnaker")
    base = f"/partner/promotions/{promotion.id}"
    for url in (base, f"{base}/edit", f"{base}/codes.csv", f"{base}/statement.csv"):
        assert clients.pemkot.get(url).status_code == 404, url
    for url in (f"{base}/edit", f"{base}/submit", f"{base}/codes"):
        assert clients.pemkot.post(url, data=promo_form(name="Dibajak")).status_code == 404, url
    assert "Promo Rahasia Disnaker" not in clients.pemkot.get("/partner/").get_data(
        as_text=True)
    db.session.refresh(promotion)
    assert promotion.name == "Promo Rahasia Disnaker" and promotion.approval == "draft"
    assert clients.disnaker.get(base).status_code == 200


def test_who_may_enter_the_partner_area(app, world, clients):
    from shop.accounts.provisioning import create_partner_user

    anonymous = app.test_client()
    response = anonymous.get("/partner/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert clients.admin.get("/partner/").status_code == 403
    create_partner_user("tanpa.organisasi@mitra.example.org", "Mitra Baru", password=PASSWORD)
    loose = app.test_client()
    login(loose, "tanpa.organisasi@mitra.example.org")
    assert loose.get("/partner/").status_code == 403  # not attached to an organisation yet
    assert anonymous.get("/admin/promotions/").status_code == 302


# ------------------------------------------------------------------ editing


def test_the_benefit_of_an_approved_live_promotion_cannot_be_edited(app, world, clients):
    promotion = approved_promotion(clients)
    url = f"/partner/promotions/{promotion.id}/edit"
    page = clients.disnaker.get(url).get_data(as_text=True)
    assert "hanya nama dan deskripsi" in page
    assert 'name="percent"' not in page  # only the name and description are offered

    for change in ({"percent": "50"}, {"benefit": "amount", "amount": "10000"},
                   {"scope": "products", "products": [str(world.products.roa.id)]},
                   {"funding": "facility"}, {"max_uses": "1000"}):
        response = clients.disnaker.post(url, data=promo_form(**change))
        assert response.status_code == 409, change
        assert "tidak bisa diubah" in response.get_data(as_text=True) or \
            "hanya nama dan deskripsi" in response.get_data(as_text=True)
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert (promotion.benefit, promotion.value, promotion.scope, promotion.funding,
            promotion.max_uses) == ("percent", 20, "all", "partner", 100)

    # The name and description still can change (the page posts only those).
    response = clients.disnaker.post(url, data={"name": "Diskon Hari Bakti (diperpanjang)",
                                                "description": "Baru."})
    assert response.status_code == 302
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert promotion.name == "Diskon Hari Bakti (diperpanjang)" and promotion.value == 20

    # A pending promotion waits for the decision.
    pending = create_via_form(clients.disnaker, shared_code="TUNGGU1")
    clients.disnaker.post(f"/partner/promotions/{pending.id}/submit")
    response = clients.disnaker.post(f"/partner/promotions/{pending.id}/edit",
                                     data=promo_form(shared_code="TUNGGU1", percent="30"))
    assert response.status_code == 409
    db.session.refresh(pending)
    assert pending.value == 20


def test_renaming_an_approved_promotion_keeps_its_exact_times(app, world, clients):
    """The form has minute precision; a promotion made elsewhere may carry seconds."""
    now = utcnow()
    promotion = Promotion(partner_id=world.disnaker.id, slug="promo-detik", name="Promo Detik",
                          starts_at=now - timedelta(seconds=3661), ends_at=now + timedelta(
                              days=3, seconds=17, microseconds=5), approval="approved",
                          benefit="amount", value=5_000, scope="all", redemption="automatic")
    db.session.add(promotion)
    db.session.commit()
    starts, ends = promotion.starts_at, promotion.ends_at
    response = clients.disnaker.post(f"/partner/promotions/{promotion.id}/edit",
                                     data={"name": "Promo Detik Baru", "description": "Ya."})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert (promotion.name, promotion.starts_at, promotion.ends_at) == (
        "Promo Detik Baru", starts, ends)


def test_a_draft_can_be_edited_and_a_rejected_one_goes_back_to_draft(app, world, clients):
    from shop.core.audit import AuditEntry

    promotion = create_via_form(clients.disnaker)
    url = f"/partner/promotions/{promotion.id}/edit"
    response = clients.disnaker.post(url, data=promo_form(
        benefit="amount", amount="Rp10.000", percent="", scope="products",
        products=[str(world.products.roa.id), str(world.products.chips.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert (promotion.benefit, promotion.value, promotion.scope) == ("amount", 10_000, "products")
    assert sorted(t.product_id for t in promotion.targets) == sorted(
        [world.products.roa.id, world.products.chips.id])

    clients.disnaker.post(f"/partner/promotions/{promotion.id}/submit")
    short = clients.admin.post(f"/admin/promotions/{promotion.id}/reject", data={"note": "x"})
    assert short.status_code == 422
    assert "alasan penolakan" in short.get_data(as_text=True)
    response = clients.admin.post(f"/admin/promotions/{promotion.id}/reject",
                                  data={"note": "Periode terlalu panjang."})
    assert response.status_code == 302
    db.session.expire_all()
    promotion = db.session.get(Promotion, promotion.id)
    assert promotion.approval == "rejected"
    assert "Periode terlalu panjang." in clients.disnaker.get(
        f"/partner/promotions/{promotion.id}").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.note).where(
        AuditEntry.kind == "promotion.rejected")) == "Periode terlalu panjang."
    response = clients.disnaker.post(url, data=promo_form(
        ends_at=wit_input(utcnow() + timedelta(days=7))))
    assert response.status_code == 302
    db.session.refresh(promotion)
    assert promotion.approval == "draft"


def test_validation_messages_are_indonesian_and_percent_is_1_to_90(app, world, clients):
    cases = [
        ({"percent": "95"}, "Diskon persen harus antara 1 dan 90."),
        ({"percent": "0"}, "Diskon persen harus antara 1 dan 90."),
        ({"percent": ""}, "Isi besar diskon, 1 sampai 90 persen."),
        ({"benefit": "amount", "amount": "sepuluh ribu"}, "Tulis harga sebagai angka"),
        ({"name": ""}, "Nama promo wajib diisi."),
        ({"ends_at": wit_input(utcnow() - timedelta(days=1))},
         "Tanggal selesai harus setelah tanggal mulai."),
        ({"starts_at": "besok pagi"}, "Tulis tanggal dan jam"),
        ({"scope": "products"}, "Pilih minimal satu produk."),
        ({"scope": "facilities", "facilities": ["999999"]}, "Ada pilihan yang tidak dikenal"),
        ({"shared_code": "a b"}, "Kode 3–40 karakter"),
        ({"code_mode": "batch", "shared_code": ""}, "Isi jumlah kode sekali pakai"),
        ({"code_mode": "batch", "shared_code": "", "batch_count": "5", "batch_prefix": "A B"},
         "Awalan hanya huruf dan angka"),
    ]
    for change, message in cases:
        response = clients.disnaker.post("/partner/promotions/new", data=promo_form(**change))
        body = response.get_data(as_text=True)
        assert response.status_code == 422, (change, body[:500])
        assert message in body, (change, message)
    assert db.session.scalar(select(func.count(Promotion.id))) == 0

    create_via_form(clients.disnaker, shared_code="UNIK1")
    response = clients.disnaker.post("/partner/promotions/new",
                                     data=promo_form(shared_code="unik1"))
    assert response.status_code == 422
    assert "Kode ini sudah dipakai promo lain." in response.get_data(as_text=True)


def test_start_and_end_are_entered_in_wit_and_stored_in_utc(app, world, clients):
    promotion = create_via_form(clients.disnaker, starts_at="2026-12-01T00:00",
                                ends_at="2027-01-01T00:00")
    assert promotion.starts_at == datetime(2026, 11, 30, 15, 0)
    assert promotion.ends_at == datetime(2026, 12, 31, 15, 0)
    page = clients.disnaker.get(f"/partner/promotions/{promotion.id}/edit").get_data(
        as_text=True)
    assert 'value="2026-12-01T00:00"' in page and 'value="2027-01-01T00:00"' in page
    detail = clients.disnaker.get(f"/partner/promotions/{promotion.id}").get_data(as_text=True)
    assert "01-12-2026 00:00 WIT" in detail
    assert "Terjadwal" not in detail  # a draft is a draft, whatever its dates

    from shop.promotions.labels import state_of

    promotion.approval = "approved"
    db.session.commit()
    assert state_of(promotion, datetime(2026, 11, 30, 14, 59)) == "scheduled"
    assert state_of(promotion, datetime(2026, 11, 30, 15, 0)) == "live"
    assert state_of(promotion, datetime(2026, 12, 31, 14, 59)) == "live"
    assert state_of(promotion, datetime(2026, 12, 31, 15, 0)) == "ended"


# ------------------------------------------------------------------ codes


def test_a_batch_of_single_use_codes_is_generated_and_exported_as_csv(app, world, clients):
    from shop.promotions.codes import CODE_ALPHABET

    promotion = create_via_form(clients.disnaker, code_mode="batch", shared_code="",
                                batch_count="5", batch_prefix="tte")
    response = clients.disnaker.get(f"/partner/promotions/{promotion.id}/codes.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5
    codes = [row["kode"] for row in rows]
    assert len(set(codes)) == 5
    pattern = re.compile(rf"^TTE-[{CODE_ALPHABET}]{{8}}$")
    assert all(pattern.match(code) for code in codes), codes
    assert not set("01ILO") & set("".join(code[4:] for code in codes))
    assert {row["jenis"] for row in rows} == {"sekali_pakai"}
    assert {row["dipakai_wit"] for row in rows} == {""}
    stored = set(db.session.scalars(select(PromotionCode.code).where(
        PromotionCode.promotion_id == promotion.id, PromotionCode.single_use.is_(True))))
    assert stored == set(codes)

    # More codes from the promotion's page; a shared code cannot be mixed in.
    response = clients.disnaker.post(f"/partner/promotions/{promotion.id}/codes",
                                     data={"count": "3", "prefix": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(PromotionCode.id)).where(
        PromotionCode.promotion_id == promotion.id)) == 8
    bad = clients.disnaker.post(f"/partner/promotions/{promotion.id}/codes",
                                data={"count": "0"})
    assert bad.status_code == 422 and "Antara 1 dan 5000." in bad.get_data(as_text=True)
    shared = create_via_form(clients.disnaker, shared_code="BERSAMA1")
    refused = clients.disnaker.post(f"/partner/promotions/{shared.id}/codes",
                                    data={"count": "2"})
    assert refused.status_code == 422
    assert "satu kode bersama" in refused.get_data(as_text=True)


# ------------------------------------------------------------------ figures


@pytest.fixture
def place_with_code(app, gen_rates):
    """Like the `place` fixture, with a promotion code typed into the cart first."""
    from shop.cart.services import create_cart, load_cart, set_quantity
    from shop.checkout.addresses import validate_details
    from shop.checkout.services import place_order

    def do(items, code, delivery=None):
        cart = create_cart()
        for product, quantity in items.items():
            set_quantity(cart, product.slug, quantity)
        cart.promotion_code = code
        db.session.commit()
        cart = load_cart(cart.id)
        delivery = delivery or {product.facility.slug: "pickup" for product in items}
        details, errors = validate_details(CONTACT, ADDRESS)
        assert not errors, errors
        return place_order(cart, details, delivery)

    return do


def test_the_dashboard_and_the_statement_after_a_paid_order(app, world, clients,
                                                           place_with_code):
    from shop.orders.promotion_figures import promotion_figures
    from shop.orders.services import mark_paid

    p = world.products
    promotion = approved_promotion(clients, shared_code="HEMAT20", scope="facilities",
                                   facilities=[str(world.lpp.id)], max_uses_per_customer="")
    order, _token = place_with_code({p.roa: 2, p.chips: 1, p.soasio: 1}, "hemat20")
    # 20% of the Lapas Perempuan lines only (2 x 45.000 + 20.000 = 110.000): 22.000
    assert order.discount_total == 22_000
    unpaid_before = clients.disnaker.get(f"/partner/promotions/{promotion.id}").get_data(
        as_text=True)
    assert "Belum ada pesanan dibayar" in unpaid_before  # placed, not yet paid: not counted
    assert mark_paid(order) == "paid"
    db.session.commit()

    # Another order with the code, placed and never paid, does not count.
    unpaid, _token = place_with_code({p.chips: 1}, "HEMAT20")
    assert unpaid.discount_total == 4_000

    figures = promotion_figures(promotion.id)
    assert (figures.uses, figures.customers, figures.discount, figures.sales) == (
        1, 1, 22_000, 110_000)
    response = clients.disnaker.get(f"/partner/promotions/{promotion.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rp22.000" in body and "Rp110.000" in body
    assert 'role="img"' in body and "aria-label=" in body and "<svg" in body
    assert "Lapas Perempuan Ternate" in body
    day = to_wit(order.created_at).strftime("%d-%m-%Y")
    assert day in body  # the table beside the chart, by WIT day
    listing = clients.disnaker.get("/partner/").get_data(as_text=True)
    assert "Rp22.000" in listing

    response = clients.disnaker.get(f"/partner/promotions/{promotion.id}/statement.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["kode_unit"] for row in rows] == ["lpp-ternate"]
    owed = sum(int(row["potongan_ditanggung_mitra"]) for row in rows)
    paid_parcels = db.session.scalar(
        select(func.sum(ParcelDiscount.amount))
        .join(FacilityOrder, FacilityOrder.id == ParcelDiscount.facility_order_id)
        .join(Order, Order.id == FacilityOrder.order_id)
        .where(ParcelDiscount.promotion_id == promotion.id, Order.paid_at.isnot(None)))
    every_parcel = db.session.scalar(select(func.sum(ParcelDiscount.amount)).where(
        ParcelDiscount.promotion_id == promotion.id))
    assert owed == int(paid_parcels) == 22_000
    assert int(every_parcel) == 26_000  # the unpaid order's share is left out
    assert int(rows[0]["penjualan"]) == 110_000 and int(rows[0]["paket"]) == 1

    # The figures are the partner's alone.
    assert clients.pemkot.get(f"/partner/promotions/{promotion.id}/statement.csv"
                              ).status_code == 404


def test_facility_funded_promotions_have_no_statement(app, world, clients):
    promotion = create_via_form(clients.disnaker, funding="facility")
    assert clients.disnaker.get(f"/partner/promotions/{promotion.id}/statement.csv"
                                ).status_code == 404


# ------------------------------------------------------------------ pausing


def test_admin_pauses_and_resumes_with_an_audit_trail(app, world, clients):
    from shop.core.audit import AuditEntry

    promotion = approved_promotion(clients)
    assert clients.disnaker.post(f"/admin/promotions/{promotion.id}/pause").status_code == 403
    assert clients.admin.post(f"/admin/promotions/{promotion.id}/pause",
                              data={"note": "Diperiksa."}).status_code == 302
    db.session.refresh(promotion)
    assert promotion.is_active is False
    assert "Dihentikan sementara" in clients.disnaker.get("/partner/").get_data(as_text=True)
    assert "sedang tidak berlaku" in app.test_client().get(
        f"/promo/{promotion.slug}").get_data(as_text=True)
    assert clients.admin.post(f"/admin/promotions/{promotion.id}/resume").status_code == 302
    db.session.refresh(promotion)
    assert promotion.is_active is True
    kinds = list(db.session.scalars(select(AuditEntry.kind).where(
        AuditEntry.subject == promotion.slug).order_by(AuditEntry.id)))
    assert kinds == ["promotion.created", "promotion.submitted", "promotion.approved",
                     "promotion.paused", "promotion.resumed"]


# ------------------------------------------------------------------ the landing page


def test_the_landing_page_query_count_does_not_grow_with_products(
        app, world, clients, gen_product, count_queries):
    promotion = approved_promotion(clients, scope="facilities",
                                   facilities=[str(world.lpp.id)])
    url = f"/promo/{promotion.slug}"  # read now: the commits below expire the object
    client = app.test_client()
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        gen_product(facility=world.lpp, category=world.sambal, name=f"Sambal Uji {n}",
                     image=n < 3)
    client.get(url)  # as before `few`: what the process keeps per content version is read
    with count_queries() as many:
        response = client.get(url)
    assert response.status_code == 200
    assert many.count == few.count, "\n".join(
        s[:90] for s in few.statements + ["--"] + many.statements)
    body = response.get_data(as_text=True)
    assert "Halaman 1 dari 2" in body and "33 produk" in body
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second
    assert client.get("/promo/tidak-ada").status_code == 404
