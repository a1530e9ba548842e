"""The catalogue API, checked against its OpenAPI document."""

import jsonschema
import pytest
from openapi_spec_validator import validate

from shop.api.openapi import DOCUMENT


def schema_for(name):
    """A component schema, resolvable on its own (refs point into the whole document)."""
    return {**DOCUMENT["components"]["schemas"][name], "components": DOCUMENT["components"]}


def assert_matches(body, name):
    jsonschema.validate(body, schema_for(name), cls=jsonschema.Draft202012Validator)


def test_openapi_document_is_valid_and_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())
    assert response.get_json() == DOCUMENT


def test_every_documented_path_exists_and_every_api_route_is_documented(app):
    documented = {"/api/v1" + p.replace("{", "<").replace("}", ">") for p in DOCUMENT["paths"]}
    routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    routes.discard("/api/v1/openapi.json")
    assert routes == documented


def test_products_list_shape_and_values(client, catalogue):
    response = client.get("/api/v1/products?sort=price_asc")
    assert response.status_code == 200
    body = response.get_json()
    assert_matches(body, "ProductList")
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 24
    first = body["items"][0]
    assert first["slug"] == "sambal-roa-original"
    assert first["price"] == 45_000 and isinstance(first["price"], int)
    assert first["facility"] == "lpp-ternate" and first["category"] == "sambal"
    assert first["is_flagship"] is True and first["flagship_year"] == 2025
    assert first["stock"] == 60 and first["stock_state"] == "available"
    assert first["unit"] == "jar"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=roa&sort=name", ["sambal-roa-pedas", "sambal-roa-original"]),
        ("facility=lapas-sanana", ["kotak-tisu-jati"]),
        ("category=makanan-minuman&in_stock=1", ["sambal-roa-original"]),
        ("flagship=true&sort=price_desc", ["tas-rajut", "kotak-tisu-jati",
                                           "sambal-roa-original"]),
        ("min_price=100000&max_price=160000", ["kotak-tisu-jati"]),
    ],
)
def test_products_filters(client, catalogue, query, expected):
    body = client.get(f"/api/v1/products?{query}").get_json()
    assert [p["slug"] for p in body["items"]] == expected
    assert body["total"] == len(expected)


def test_products_pagination(client, catalogue):
    body = client.get("/api/v1/products?per_page=3&page=2&sort=name").get_json()
    assert body == {**body, "total": 4, "page": 2, "per_page": 3}
    assert [p["slug"] for p in body["items"]] == ["tas-rajut"]


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "page=-1", "per_page=101", "per_page=0", "min_price=abc",
     "max_price=-5", "sort=xyz", "flagship=maybe", "in_stock=2", "facility=%3Cscript%3E",
     "q=" + "x" * 101, "page=" + "9" * 40],
)
def test_products_bad_filters_are_400_with_json_error(client, query):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert_matches(body, "Error")
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["message"]


def test_product_detail(client, catalogue, gen_product):
    body = client.get("/api/v1/products/sambal-roa-original").get_json()
    assert_matches(body, "Product")
    assert body["pirt_number"] == "2098271010123-29"
    assert body["name_en"] == "Smoked Fish Chilli"
    product = gen_product(name="Berfoto", slug="berfoto", image=True)
    body = client.get("/api/v1/products/berfoto").get_json()
    assert_matches(body, "Product")
    stem = product.images[0].storage_key.split(".")[0]
    assert body["images"][0]["thumb"] == f"/media/{stem}/thumb.webp"


@pytest.mark.parametrize("slug", ["kotak-draf", "kotak-arsip", "kotak-lapas-tutup", "nope"])
def test_hidden_or_unknown_product_is_json_404(client, catalogue, slug):
    response = client.get(f"/api/v1/products/{slug}")
    assert response.status_code == 404
    assert_matches(response.get_json(), "Error")


def test_facilities(client, catalogue):
    body = client.get("/api/v1/facilities").get_json()
    assert_matches(body, "FacilityList")
    assert [f["slug"] for f in body["items"]] == ["lapas-sanana", "lpp-ternate"]
    assert body["total"] == 2
    ternate = client.get("/api/v1/facilities/lpp-ternate").get_json()
    assert_matches(ternate, "Facility")
    assert ternate["kind"] == "lpp" and ternate["class"] == "III"
    assert ternate["product_count"] == 3 and ternate["flagship_count"] == 2
    assert ternate["flagship_target"] == {"year": 2025, "target": 2, "met": True}
    assert ternate["revenue_split"] == {"premi": 50, "pnbp": 15, "working_capital": 35}
    sanana = client.get("/api/v1/facilities/lapas-sanana").get_json()
    assert sanana["flagship_target"]["met"] is False


def test_inactive_or_unknown_facility_is_json_404(client, catalogue):
    for slug in ["lapas-tutup", "nope"]:
        response = client.get(f"/api/v1/facilities/{slug}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(client):
    response = client.post("/api/v1/products")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
