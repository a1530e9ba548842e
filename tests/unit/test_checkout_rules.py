import pytest

from shop.checkout.addresses import PROVINCES, validate_details
from shop.checkout.shipping import charge, zone_for
from shop.core.text import normalize_phone
from shop.facilities.models import Facility, ShippingRate
from shop.orders.services import derive_status


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0921) 312 345", "+62921312345"),
        ("0812", None),
        ("+1 555 123 4567", None),
        ("08123456789012345", None),
        ("0012345678", None),
        ("abc", None),
        ("", None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_there_are_38_provinces():
    assert len(PROVINCES) == 38 == len(set(PROVINCES))
    assert "Maluku Utara" in PROVINCES and "Papua Pegunungan" in PROVINCES


GOOD_CONTACT = {"name": "Siti", "email": "Siti@Example.COM", "phone": "081234567890"}
GOOD_ADDRESS = {"street": "Jl. Merdeka 1", "rt_rw": "003/005", "kelurahan": "Gamalama",
                "kecamatan": "Ternate Tengah", "city": "Kota Ternate",
                "province": "Maluku Utara", "postal_code": "97712"}


def test_valid_details_are_normalised():
    details, errors = validate_details(GOOD_CONTACT, GOOD_ADDRESS, " Titip di pos ")
    assert errors == {}
    assert details.phone == "+6281234567890" and details.email == "Siti@example.com"
    assert details.note == "Titip di pos"


@pytest.mark.parametrize(
    ("contact", "address", "field"),
    [
        ({"name": ""}, {}, "name"),
        ({"email": "bukan-surel"}, {}, "email"),
        ({"phone": "12345"}, {}, "phone"),
        ({}, {"postal_code": "9771"}, "postal_code"),
        ({}, {"postal_code": "97a12"}, "postal_code"),
        ({}, {"province": "Atlantis"}, "province"),
        ({}, {"rt_rw": "tiga"}, "rt_rw"),
        ({}, {"street": "  "}, "street"),
        ({}, {"city": None}, "city"),
        ({"name": "x" * 500}, {}, "name"),
        ({"name": 42}, {}, "name"),
    ],
)
def test_invalid_details_name_the_field(contact, address, field):
    details, errors = validate_details({**GOOD_CONTACT, **contact}, {**GOOD_ADDRESS, **address})
    assert details is None
    assert field in errors and errors[field]


def test_zones():
    ternate = Facility(town="Ternate", regency="Kota Ternate")
    tobelo = Facility(town="Gorua", regency="Kabupaten Halmahera Utara")
    assert zone_for(ternate, "Kota Ternate", "Maluku Utara") == "same_town"
    assert zone_for(ternate, "ternate", "Maluku Utara") == "same_town"
    assert zone_for(tobelo, "Kab. Halmahera Utara", "Maluku Utara") == "same_town"
    assert zone_for(ternate, "Kota Tidore Kepulauan", "Maluku Utara") == "north_maluku"
    assert zone_for(ternate, "Kota Ternate", "DKI Jakarta") == "indonesia"


@pytest.mark.parametrize(("grams", "expected"), [(0, 10_000), (1, 10_000), (1000, 10_000),
                                                  (1001, 14_000), (2500, 18_000)])
def test_charge_per_started_kilogram(grams, expected):
    assert charge(ShippingRate(first_kg=10_000, next_kg=4_000), grams) == expected


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["new", "new"], "paid"),
        (["accepted", "packed"], "paid"),
        (["shipped", "new"], "partially_shipped"),
        (["shipped", "ready_for_pickup"], "shipped"),
        (["shipped", "shipped"], "shipped"),
        (["delivered", "shipped"], "shipped"),
        (["delivered", "picked_up"], "completed"),
        (["delivered", "cancelled"], "completed"),
        (["cancelled", "cancelled"], "cancelled"),
        (["picked_up", "new"], "partially_shipped"),
    ],
)
def test_order_status_follows_its_parcels(statuses, expected):
    assert derive_status("paid", statuses) == expected


def test_unpaid_and_expired_orders_keep_their_status():
    assert derive_status("pending_payment", ["awaiting_payment"]) == "pending_payment"
    assert derive_status("expired", ["cancelled"]) == "expired"
