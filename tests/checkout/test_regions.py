"""The address picker from the official region codes: the API, the page's steps without
JavaScript, the refusal of a village outside the chosen district, the shipping zone from the
regency code, and old free-text addresses."""

import json
import re

import pytest

from shop.checkout.shipping import zone_for
from shop.orders.models import Order
from tests.catalog.test_api import assert_matches
from tests.checkout.test_checkout import cart_with, goods  # noqa: F401 - fixture
from tests.factories import ADDRESS, CONTACT, REGION, checkout_body, login

KALUMPANG = "82.71.06.1010"      # Kota Ternate Tengah, Kota Ternate
FALAJAWA = "82.71.06"            # the district
JAMBULA = "82.71.01.1001"        # Pulau Ternate district, also Kota Ternate


def test_regions_api_walks_province_to_village_with_postal_codes(client):
    provinces = client.get("/api/v1/regions")
    assert provinces.status_code == 200
    body = provinces.get_json()
    assert_matches(body, "RegionList")
    assert body["total"] == 38 and {"code": "82", "name": "Maluku Utara"} in body["items"]
    regencies = client.get("/api/v1/regions/82/children").get_json()
    names = {r["name"] for r in regencies["items"]}
    assert {"Kota Ternate", "Kota Tidore Kepulauan", "Kabupaten Kepulauan Sula"} <= names
    villages = client.get(f"/api/v1/regions/{FALAJAWA}/children").get_json()
    assert_matches(villages, "RegionList")
    kalumpang = next(v for v in villages["items"] if v["code"] == KALUMPANG)
    assert kalumpang == {"code": KALUMPANG, "name": "Kalumpang", "postal_code": "97722"}
    detail = client.get(f"/api/v1/regions/{KALUMPANG}").get_json()
    assert_matches(detail, "RegionDetail")
    assert detail["level"] == "village"
    assert [p["name"] for p in detail["parents"]] == ["Maluku Utara", "Kota Ternate",
                                                     "Kota Ternate Tengah"]


@pytest.mark.parametrize("code", ["99", "82.99", "abc", "82.71.06.1010.1", "1' OR 1=1"])
def test_unknown_region_codes_are_json_404(client, code):
    for url in (f"/api/v1/regions/{code}", f"/api/v1/regions/{code}/children"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "unknown_region"


def test_page_steps_without_javascript(client, goods):  # noqa: F811
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1"})
    html = client.get("/checkout").get_data(as_text=True)
    assert '<option value="82">Maluku Utara</option>' in html
    assert 'id="f-regency_code"' in html and "disabled" in _select(html, "regency_code")
    step = client.post("/checkout", data={**CONTACT, "province_code": "82", "action": "region"})
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "Periksa isian" not in html
    assert ">Kota Ternate</option>" in _select(html, "regency_code")
    step = client.post("/checkout", data={**CONTACT, "province_code": "82",
                                          "regency_code": "82.71", "district_code": FALAJAWA,
                                          "action": "region"})
    html = step.get_data(as_text=True)
    assert ">Kalumpang</option>" in _select(html, "village_code")
    step = client.post("/checkout", data={**CONTACT, **REGION, "action": "region"})
    assert 'value="97722"' in step.get_data(as_text=True)  # the postal code suggested
    # changing the province drops the lower choices that no longer fit
    step = client.post("/checkout", data={**CONTACT, **REGION, "province_code": "81",
                                          "action": "region"})
    html = step.get_data(as_text=True)
    assert "selected" not in _select(html, "district_code")


def _select(html, name):
    match = re.search(rf'<select id="f-{name}".*?</select>', html, re.S)
    return match.group(0) if match else ""


def test_page_asks_for_the_region_from_the_list(client, goods):  # noqa: F811
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1"})
    form = {**CONTACT, **ADDRESS, "province_code": "82", "regency_code": "82.71",
            "delivery-lpp-ternate": "courier"}
    response = client.post("/checkout", data=form)
    assert response.status_code == 422
    assert "Pilih kecamatan dari daftar." in response.get_data(as_text=True)


def test_a_village_outside_the_chosen_district_is_refused(client, goods, db_session):  # noqa: F811
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1"})
    form = {**CONTACT, **ADDRESS, **REGION, "village_code": JAMBULA,
            "delivery-lpp-ternate": "courier", "action": "place"}
    response = client.post("/checkout", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Jambula tidak berada di kecamatan yang dipilih" in html
    assert db_session.query(Order).count() == 0
    token = cart_with(client, {"sambal-roa": 1})
    api = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup"}, address={**ADDRESS, "district_code": FALAJAWA,
                                            "village_code": JAMBULA}))
    assert api.status_code == 422
    assert "village_code" in api.get_json()["error"]["fields"]
    bogus = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup"}, address={**ADDRESS, "village_code": "82.71.06.9999"}))
    assert bogus.status_code == 422


def test_api_with_a_village_code_takes_the_names_from_the_code(client, goods, db_session):  # noqa: F811
    token = cart_with(client, {"sambal-roa": 1})
    address = {"street": "Jl. Pahlawan Revolusi No. 12", "village_code": KALUMPANG,
               "kelurahan": "Kalumpng", "kecamatan": "x", "city": "Ternate", "province": "x",
               "postal_code": ""}
    response = client.post(f"/api/v1/carts/{token}/checkout",
                           json=checkout_body({"lpp-ternate": "courier"}, address=address))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["facility_orders"][0]["shipping"] == 10_000  # same town
    order = db_session.query(Order).one()
    assert (order.kelurahan, order.kecamatan, order.city, order.province, order.postal_code,
            order.village_code) == ("Kalumpang", "Kota Ternate Tengah", "Kota Ternate",
                                    "Maluku Utara", "97722", KALUMPANG)


class _Facility:
    def __init__(self, town, regency, regency_code=""):
        self.town, self.regency, self.regency_code = town, regency, regency_code


def test_shipping_zone_comes_from_the_regency_code_not_the_spelling():
    sanana = _Facility("Sanana", "Kabupaten Kepulauan Sula", "82.05")
    # the code decides, whatever the text says
    assert zone_for(sanana, "Kab Kep. Sula", "Maluku Utara", "82.05") == "same_town"
    assert zone_for(sanana, "Kabupaten Kepulauan Sula", "Maluku Utara", "82.71") == (
        "north_maluku")
    assert zone_for(sanana, "Kepulauan Sula", "Maluku Utara", "31.71") == "indonesia"
    # free text (older API clients): names compared as before
    assert zone_for(sanana, "Kepulauan Sula", "Maluku Utara") == "same_town"


def test_old_free_text_addresses_still_display(client, goods, db_session):  # noqa: F811
    token = cart_with(client, {"sambal-roa": 1})
    placed = client.post(f"/api/v1/carts/{token}/checkout", json=checkout_body(
        {"lpp-ternate": "pickup"})).get_json()
    page = client.get(f"/orders/{placed['number']}?token={placed['token']}")
    html = page.get_data(as_text=True)
    assert "Kalumpang, Ternate Tengah" in html and "Kota Ternate, Maluku Utara 97712" in html


def test_a_saved_free_text_address_is_shown_and_the_province_preselected(
        client, goods, db_session, gen_customer):  # noqa: F811
    user = gen_customer()
    user.saved_address = json.dumps(ADDRESS)
    db_session.commit()
    login(client, user.email)
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1"})
    html = client.get("/checkout").get_data(as_text=True)
    assert "Alamat tersimpan: Kalumpang, Ternate Tengah, Kota Ternate, Maluku Utara" in html
    assert '<option value="82" selected>' in _select(html, "province_code")
