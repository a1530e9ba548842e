"""The product desk (/staff/products): a facility's staff create and edit their own products
(with a checked photo), adjust stock with a reason, archive, and ask for the flagship mark.
Staff of another facility get 404 for all of it; bad input is refused politely."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from shop.accounts.models import User
from shop.catalog.models import FlagshipRequest, Product, ProductImage, StockAdjustment
from shop.core.audit import AuditEntry
from tests.factories import png_bytes

PASSWORD = "kata-sandi-petugas-uji"


# ------------------------------------------------------------------ helpers

def _login(app, email, password=PASSWORD):
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def world(app, gen_facility, gen_category, db_session):
    """Two facilities with one staff member each, signed in through the real login form."""
    from shop.accounts.provisioning import create_staff

    a = gen_facility(slug="lapas-sanana", name="Lapas Kelas IIB Sanana")
    b = gen_facility(slug="lpp-ternate", name="LPP Ternate")
    food = gen_category("Makanan", slug="makanan")
    sambal = gen_category("Sambal", slug="sambal", parent=food)
    staff_a = create_staff("petugas.a@contoh.id", a, password=PASSWORD, invite=False)
    staff_b = create_staff("petugas.b@contoh.id", b, password=PASSWORD, invite=False)

    class World:
        pass

    w = World()
    w.a, w.b, w.food, w.sambal = a, b, food, sambal
    w.staff_a_id, w.staff_b_id = staff_a.id, staff_b.id
    w.client_a = _login(app, "petugas.a@contoh.id")
    w.client_b = _login(app, "petugas.b@contoh.id")
    return w


def product_form(category_, **overrides):
    data = {"name": "Sambal Roa Sanana", "name_en": "Sanana Smoked Fish Chilli",
            "description": "Ikan roa asap, cabai, bawang.", "description_en": "",
            "category": str(category_.id), "price": "45.000", "unit": "jar",
            "weight_grams": "300", "is_perishable": "y", "pirt_number": "2098271010123-29",
            "bpom_number": "", "halal_number": "ID8211", "status": "active",
            "initial_stock": "0", "photo_alt": "Toples sambal roa"}
    data.update(overrides)
    return data


def fetch(db_session, slug):
    db_session.expire_all()
    return db_session.scalar(select(Product).where(Product.slug == slug))


def count(db_session, model, *where):
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


def media_files(app):
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _png_chunk(kind, payload):
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


def png_header_claiming(width, height):
    """A tiny file whose PNG header claims an enormous picture (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _png_chunk(b"IEND", b""))


def big_bilevel_png():
    """A real 9000x9000 1-bit PNG: a few KB on disk, 81 megapixels decoded (> MAX_PIXELS)."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    return out.getvalue()


def gif_bytes():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "GIF")
    return out.getvalue()


# ------------------------------------------------------------------ access

def test_anonymous_is_sent_to_sign_in_and_customers_are_refused(app, client, gen_product,
                                                                 db_session):
    product = gen_product()
    response = client.get("/staff/products/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert client.post(f"/staff/products/{product.slug}/stock",
                       data={"change": "5", "reason": "tambah"}).status_code == 302

    customer = User(email="pembeli@contoh.id", name="Pembeli", role="customer")
    customer.set_password(PASSWORD)
    db_session.add(customer)
    db_session.commit()
    browser = _login(app, "pembeli@contoh.id")
    assert browser.get("/staff/products/").status_code == 403
    assert browser.get("/staff/products/new").status_code == 403
    assert browser.post(f"/staff/products/{product.slug}/stock",
                        data={"change": "5", "reason": "tambah"}).status_code == 403
    assert fetch(db_session, product.slug).stock == 10


def test_list_shows_only_own_products_in_every_status(world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, name="Sambal Aktif", price=45_000)
    gen_product(facility=world.a, category=world.food, name="Keripik Draf", status="draft",
                 stock=0)
    gen_product(facility=world.a, category=world.food, name="Kue Lama", status="archived")
    gen_product(facility=world.b, category=world.food, name="Tas Rajut Ternate")
    db_session.add(FlagshipRequest(product_id=fetch(db_session, "sambal-aktif").id, year=2025))
    db_session.commit()

    response = world.client_a.get("/staff/products/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for name in ("Sambal Aktif", "Keripik Draf", "Kue Lama"):
        assert name in body
    assert "Tas Rajut Ternate" not in body
    assert "Rp45.000" in body
    assert "Usulan unggulan 2025 menunggu" in body
    assert "/staff/products/sambal-aktif/edit" in body
    assert body.index("Sambal Aktif") < body.index("Keripik Draf") < body.index("Kue Lama")


def test_list_runs_a_fixed_number_of_queries(world, gen_product, count_queries):
    def queries_for_list():
        with count_queries() as counter:
            assert world.client_a.get("/staff/products/").status_code == 200
        return counter.count

    for _ in range(2):
        gen_product(facility=world.a, category=world.sambal, image=True)
    few = queries_for_list()
    for _ in range(5):
        gen_product(facility=world.a, category=world.sambal, image=True)
    assert queries_for_list() == few


@pytest.mark.parametrize("method, path, data", [
    ("get", "", None),
    ("get", "/edit", None),
    ("post", "/edit", {"name": "Diambil alih", "price": "1"}),
    ("post", "/stock", {"change": "-5", "reason": "coba-coba"}),
    ("post", "/archive", {}),
    ("post", "/unarchive", {}),
    ("post", "/flagship-request", {"year": "2025", "reason": "bukan milik saya"}),
])
def test_another_facilitys_product_is_not_found(world, gen_product, db_session, method, path,
                                                data):
    product = gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=10)
    response = getattr(world.client_b, method)(f"/staff/products/sambal-a{path}", data=data)
    assert response.status_code == 404
    after = fetch(db_session, "sambal-a")
    assert (after.name, after.price, after.stock, after.status) == (
        product.name, 10_000, 10, "active")
    assert count(db_session, StockAdjustment) == 0
    assert count(db_session, FlagshipRequest) == 0


# ------------------------------------------------------------------ create and edit

def test_create_with_photo_and_initial_stock(app, world, db_session):
    before = len(media_files(app))
    response = world.client_a.post("/staff/products/new", data=product_form(
        world.sambal, initial_stock="12", photo=(io.BytesIO(png_bytes()), "sambal.png")))
    assert response.status_code == 302, response.get_data(as_text=True)
    product = fetch(db_session, "sambal-roa-sanana")
    assert response.headers["Location"] == f"/staff/products/{product.slug}"
    assert product.facility_id == world.a.id
    assert (product.price, product.unit, product.weight_grams) == (45_000, "jar", 300)
    assert product.is_perishable and product.status == "active"
    assert product.bpom_number is None and product.halal_number == "ID8211"
    assert product.stock == 12 and not product.is_flagship
    (image,) = product.images
    assert image.alt_text == "Toples sambal roa"
    assert len(media_files(app)) == before + 4  # the original and three WebP sizes
    (adjustment,) = db_session.scalars(select(StockAdjustment)).all()
    assert (adjustment.change, adjustment.stock_after, adjustment.reason,
            adjustment.user_id) == (12, 12, "Stok awal", world.staff_a_id)
    kinds = db_session.scalars(select(AuditEntry.kind).where(
        AuditEntry.subject == product.slug)).all()
    assert sorted(kinds) == ["product.created", "product.stock"]

    public = app.test_client().get(f"/products/{product.slug}")
    assert public.status_code == 200
    assert image.storage_key.split(".")[0] in public.get_data(as_text=True)


def test_create_starts_with_zero_stock_and_a_draft_is_not_public(app, world, db_session):
    response = world.client_a.post("/staff/products/new", data=product_form(
        world.food, name="Keripik Pisang", status="draft", initial_stock=""))
    assert response.status_code == 302
    product = fetch(db_session, "keripik-pisang")
    assert product.stock == 0 and product.status == "draft" and product.images == []
    assert count(db_session, StockAdjustment) == 0
    assert app.test_client().get(f"/products/{product.slug}").status_code == 404


def test_new_form_lists_categories_with_children_indented(world):
    body = world.client_a.get("/staff/products/new").get_data(as_text=True)
    assert f'<option value="{world.food.id}">Makanan</option>' in body
    assert f'<option value="{world.sambal.id}">\u00a0\u00a0\u00a0— Sambal</option>' in body
    assert 'accept="image/jpeg,image/png,image/webp"' in body
    assert 'enctype="multipart/form-data"' in body


@pytest.mark.parametrize("overrides, message", [
    ({"name": "  "}, "Nama produk wajib diisi."),
    ({"price": "0"}, "Harga antara Rp1"),
    ({"price": "12,5"}, "angka rupiah bulat"),
    ({"price": ""}, "Harga wajib diisi."),
    ({"unit": "ton"}, "Satuan"),
    ({"status": "archived"}, "Status"),
    ({"category": "999999"}, "Kategori"),
    ({"weight_grams": "-1"}, "bilangan bulat"),
    ({"initial_stock": "-5"}, "bilangan bulat"),
])
def test_create_refuses_bad_fields(world, db_session, overrides, message):
    response = world.client_a.post("/staff/products/new",
                                    data=product_form(world.sambal, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db_session, Product) == 0


def test_edit_changes_price_but_never_stock_or_flagship(world, gen_product, db_session):
    product = gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=4,
                           price=40_000)
    page = world.client_a.get("/staff/products/sambal-a/edit")
    assert page.status_code == 200
    assert 'value="40000"' in page.get_data(as_text=True)
    data = product_form(world.sambal, name=product.name, price="Rp47.500", stock="999",
                        is_flagship="y", flagship_year="2025", facility_id=str(world.b.id))
    response = world.client_a.post("/staff/products/sambal-a/edit", data=data)
    assert response.status_code == 302
    after = fetch(db_session, "sambal-a")
    assert after.price == 47_500
    assert (after.stock, after.is_flagship, after.facility_id) == (4, False, world.a.id)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.kind == "product.updated"))
    assert (entry.from_value, entry.to_value) == ("40000", "47500")
    assert entry.actor_id == world.staff_a_id


# ------------------------------------------------------------------ photos

BAD_UPLOADS = {
    "not an image": (b"ini bukan foto, hanya teks", "foto.png", "bukan foto"),
    "pdf": (b"%PDF-1.4 fake", "foto.jpg", "bukan foto"),
    "gif": (gif_bytes(), "animasi.gif", "JPEG, PNG atau WebP"),
    "bomb header 50000x50000": (png_header_claiming(50_000, 50_000), "bom.png", "terlalu besar"),
    "9000x9000 bilevel": (big_bilevel_png(), "besar.png", "Ukuran foto terlalu besar"),
    "over 8 MB": (b"\x89PNG\r\n\x1a\n" + b"\x00" * (8 * 1024 * 1024 + 10), "besar.png",
                  "terlalu besar"),
    "empty file": (b"", "kosong.png", "bukan foto"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_on_create_is_refused_and_nothing_is_stored(app, world, db_session, case):
    data, filename, message = BAD_UPLOADS[case]
    before = media_files(app)
    response = world.client_a.post("/staff/products/new", data=product_form(
        world.sambal, initial_stock="5", photo=(io.BytesIO(data), filename)))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert 'id="photo-error"' in body  # shown on the photo field
    assert count(db_session, Product) == 0
    assert count(db_session, ProductImage) == 0
    assert count(db_session, StockAdjustment) == 0
    assert count(db_session, AuditEntry, AuditEntry.kind.like("product.%")) == 0
    assert media_files(app) == before


def test_bad_upload_on_edit_changes_nothing(app, world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", price=40_000)
    before = media_files(app)
    response = world.client_a.post("/staff/products/sambal-a/edit", data=product_form(
        world.sambal, price="99000", photo=(io.BytesIO(gif_bytes()), "a.gif")))
    assert response.status_code == 422
    assert "JPEG, PNG atau WebP" in response.get_data(as_text=True)
    assert fetch(db_session, "sambal-a").price == 40_000
    assert media_files(app) == before


def test_photo_added_on_edit(world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", image=True)
    response = world.client_a.post("/staff/products/sambal-a/edit", data=product_form(
        world.sambal, photo=(io.BytesIO(png_bytes(color=(1, 2, 3))), "dua.png")))
    assert response.status_code == 302
    assert [img.position for img in fetch(db_session, "sambal-a").images] == [0, 1]


def test_upload_over_the_request_limit_gets_a_friendly_413(app, world, db_session):
    previous = app.config.get("MAX_CONTENT_LENGTH")
    app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    try:
        response = world.client_a.post("/staff/products/new", data=product_form(
            world.sambal, photo=(io.BytesIO(b"\x00" * (50 * 1024 * 1024)), "besar.png")))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = previous
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "<h1>" in body and "terlalu besar" in body and "Traceback" not in body
    assert count(db_session, Product) == 0


# ------------------------------------------------------------------ stock

def test_stock_up_ten_then_down_three(world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=0)
    r1 = world.client_a.post("/staff/products/sambal-a/stock",
                             data={"change": "+10", "reason": "Produksi minggu ini"})
    r2 = world.client_a.post("/staff/products/sambal-a/stock",
                             data={"change": "-3", "reason": "Toples retak"})
    assert r1.status_code == r2.status_code == 302
    assert fetch(db_session, "sambal-a").stock == 7
    rows = db_session.scalars(select(StockAdjustment).order_by(StockAdjustment.id)).all()
    assert [(r.change, r.stock_after, r.reason, r.user_id) for r in rows] == [
        (10, 10, "Produksi minggu ini", world.staff_a_id),
        (-3, 7, "Toples retak", world.staff_a_id)]
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.kind == "product.stock")
                               .order_by(AuditEntry.id)).all()
    assert [(e.from_value, e.to_value, e.amount) for e in audit] == [("0", "10", 10),
                                                                     ("10", "7", -3)]
    page = world.client_a.get("/staff/products/sambal-a").get_data(as_text=True)
    assert "Toples retak" in page and "Produksi minggu ini" in page


def test_stock_below_zero_is_refused(world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=5)
    response = world.client_a.post("/staff/products/sambal-a/stock",
                                   data={"change": "-100", "reason": "hitung ulang"})
    assert response.status_code == 422
    assert "Stok tidak boleh kurang dari 0" in response.get_data(as_text=True)
    assert fetch(db_session, "sambal-a").stock == 5
    assert count(db_session, StockAdjustment) == 0
    assert count(db_session, AuditEntry, AuditEntry.kind == "product.stock") == 0


def test_stock_check_is_in_the_update_not_in_memory(world, gen_product, db_session):
    """An order takes stock between the page load and the adjustment: the conditional UPDATE
    sees the real stock, so the adjustment is refused rather than going below zero."""
    from shop.catalog.backoffice import StockRefused, adjust_stock
    from shop.extensions import db

    product = gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=5)
    assert product.stock == 5  # loaded in this session
    with db.engine.begin() as conn:  # someone else's transaction
        conn.execute(update(Product).where(Product.id == product.id).values(stock=1))
    staff = db_session.get(User, world.staff_a_id)
    with pytest.raises(StockRefused, match="Stok tidak boleh kurang dari 0"):
        adjust_stock(product, -3, "rusak", staff)
    assert fetch(db_session, "sambal-a").stock == 1
    assert count(db_session, StockAdjustment) == 0


@pytest.mark.parametrize("data, message", [
    ({"change": "abc", "reason": "hitung ulang"}, "bilangan bulat"),
    ({"change": "1.5", "reason": "hitung ulang"}, "bilangan bulat"),
    ({"change": "1e3", "reason": "hitung ulang"}, "bilangan bulat"),
    ({"change": "1_000", "reason": "hitung ulang"}, "bilangan bulat"),
    ({"change": "\uff11\uff10", "reason": "hitung ulang"}, "bilangan bulat"),  # full-width 10
    ({"change": "", "reason": "hitung ulang"}, "Isi perubahan stok."),
    ({"change": "0", "reason": "hitung ulang"}, "tidak boleh 0"),
    ({"change": "99999999", "reason": "hitung ulang"}, "terlalu besar"),
    ({"change": "5"}, "Alasan wajib diisi."),
    ({"change": "5", "reason": "ok"}, "Alasan 3 sampai 300 karakter."),
    ({"change": "5", "reason": "x" * 301}, "Alasan 3 sampai 300 karakter."),
])
def test_bad_stock_input_is_refused(world, gen_product, db_session, data, message):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=5)
    response = world.client_a.post("/staff/products/sambal-a/stock", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert fetch(db_session, "sambal-a").stock == 5
    assert count(db_session, StockAdjustment) == 0


# ------------------------------------------------------------------ archive

def test_archive_takes_the_product_off_sale_and_unarchive_brings_a_draft(app, world,
                                                                         gen_product,
                                                                         db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a")
    public = app.test_client()
    assert public.get("/products/sambal-a").status_code == 200

    assert world.client_a.post("/staff/products/sambal-a/archive").status_code == 302
    assert fetch(db_session, "sambal-a").status == "archived"
    assert public.get("/products/sambal-a").status_code == 404
    edit = world.client_a.get("/staff/products/sambal-a/edit").get_data(as_text=True)
    assert 'name="status"' not in edit  # not un-archived by saving the form

    assert world.client_a.post("/staff/products/sambal-a/unarchive").status_code == 302
    assert fetch(db_session, "sambal-a").status == "draft"
    moves = db_session.scalars(select(AuditEntry).where(AuditEntry.kind == "product.status")
                               .order_by(AuditEntry.id)).all()
    assert [(e.from_value, e.to_value) for e in moves] == [("active", "archived"),
                                                          ("archived", "draft")]


# ------------------------------------------------------------------ flagship request

def test_flagship_request_is_stored_once_per_year(app, world, gen_product, db_session):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a")
    page = world.client_a.get("/staff/products/sambal-a").get_data(as_text=True)
    assert f'value="{app.config["FLAGSHIP_TARGET_YEAR"]}"' in page

    first = world.client_a.post("/staff/products/sambal-a/flagship-request",
                                data={"year": "2025", "reason": "Terlaris tiga bulan"})
    assert first.status_code == 302
    second = world.client_a.post("/staff/products/sambal-a/flagship-request",
                                 data={"year": "2025", "reason": "Sekali lagi"})
    assert second.status_code == 422
    assert "masih menunggu keputusan Kanwil" in second.get_data(as_text=True)

    (req,) = db_session.scalars(select(FlagshipRequest)).all()
    assert (req.year, req.status, req.reason, req.requested_by_id) == (
        2025, "pending", "Terlaris tiga bulan", world.staff_a_id)
    assert fetch(db_session, "sambal-a").is_flagship is False
    assert count(db_session, AuditEntry, AuditEntry.kind == "flagship.requested") == 1

    # Another year is a separate request.
    assert world.client_a.post("/staff/products/sambal-a/flagship-request",
                               data={"year": "2026"}).status_code == 302
    assert count(db_session, FlagshipRequest) == 2
    listing = world.client_a.get("/staff/products/").get_data(as_text=True)
    assert "Usulan unggulan 2025 menunggu" in listing
    assert "Usulan unggulan 2026 menunggu" in listing


@pytest.mark.parametrize("year", ["", "dua ribu", "1999", "20255"])
def test_flagship_request_with_a_bad_year_is_refused(world, gen_product, db_session, year):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a")
    response = world.client_a.post("/staff/products/sambal-a/flagship-request",
                                   data={"year": year})
    assert response.status_code == 422
    assert count(db_session, FlagshipRequest) == 0


# ------------------------------------------------------------------ CSRF

@pytest.mark.parametrize("path", ["/new", "/sambal-a/edit", "/sambal-a/stock",
                                  "/sambal-a/archive", "/sambal-a/flagship-request"])
def test_posts_need_the_csrf_token(app, world, gen_product, db_session, path):
    gen_product(facility=world.a, category=world.sambal, slug="sambal-a", stock=5)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = world.client_a.post(f"/staff/products{path}",
                                       data={"change": "5", "reason": "tanpa token"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    after = fetch(db_session, "sambal-a")
    assert (after.stock, after.status) == (5, "active")
