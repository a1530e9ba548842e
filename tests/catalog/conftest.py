from datetime import timedelta

import pytest

from shop.core.time import utcnow


@pytest.fixture
def catalogue(gen_facility, gen_category, gen_product, db_session):
    """A small known catalogue: two active facilities, one inactive; a category tree."""
    ternate = gen_facility(slug="lpp-ternate", name="Lapas Perempuan Kelas III Ternate",
                            kind="lpp", facility_class="III")
    sanana = gen_facility(slug="lapas-sanana", name="Lapas Kelas IIB Sanana", town="Sanana",
                           regency="Kabupaten Kepulauan Sula")
    closed = gen_facility(slug="lapas-tutup", name="Lapas Tutup", is_active=False)
    food = gen_category("Makanan & Minuman", slug="makanan-minuman")
    sambal = gen_category("Sambal", slug="sambal", parent=food)
    craft = gen_category("Kerajinan", slug="kerajinan")
    now = utcnow()
    products = {}

    def add(key, age_days, **fields):
        product = gen_product(**fields)
        product.created_at = now - timedelta(days=age_days)
        db_session.commit()
        products[key] = product

    add("roa", 5, facility=ternate, category=sambal, name="Sambal Roa Original", price=45_000,
        stock=60, unit="jar", is_flagship=True, flagship_year=2025, slug="sambal-roa-original",
        description="Sambal ikan roa asap 100% asli, pedas.", pirt_number="2098271010123-29",
        halal_number="ID8211", name_en="Smoked Fish Chilli", weight_grams=250)
    add("pedas", 4, facility=ternate, category=sambal, name="Sambal Roa Extra Pedas",
        price=50_000, stock=0, unit="jar", slug="sambal-roa-pedas",
        description="Versi lebih pedas; stok_terbatas.")
    add("tas", 3, facility=ternate, category=craft, name="Tas Rajut", price=185_000, stock=3,
        is_flagship=True, flagship_year=2025, slug="tas-rajut", description="Rajutan tangan.")
    add("tisu", 2, facility=sanana, category=craft, name="Kotak Tisu Jati", price=150_000,
        stock=14, is_flagship=True, flagship_year=2025, slug="kotak-tisu-jati",
        description="Kayu jati « ukir » dengan pernis.")
    add("draft", 1, facility=sanana, category=craft, name="Kotak Draf", price=1_000,
        status="draft", slug="kotak-draf")
    add("archived", 1, facility=sanana, category=craft, name="Kotak Arsip", price=2_000,
        status="archived", slug="kotak-arsip")
    add("hidden", 1, facility=closed, category=craft, name="Kotak Lapas Tutup", price=3_000,
        slug="kotak-lapas-tutup")
    return {"facilities": {"ternate": ternate, "sanana": sanana, "closed": closed},
            "products": products}
