"""The document states the limits the server checks (issue 16, item 11): a value the document
allows is accepted, a value it forbids is refused, at the edges schemathesis rarely draws."""

import jsonschema
import pytest

from shop.api.openapi import DOCUMENT
from tests.factories import bearer


def parameter_schema(path, name, method="get"):
    for parameter in DOCUMENT["paths"][path][method]["parameters"]:
        if parameter["name"] == name:
            return parameter["schema"]
    raise KeyError(name)


def allowed(schema, raw):
    """Whether the document allows the query value `raw` (as sent: a string)."""
    value = raw
    if schema.get("type") == "integer":
        if not raw.isascii() or not raw.lstrip("-").isdigit():
            return False
        value = int(raw)
    return jsonschema.Draft202012Validator(schema).is_valid(value)


PRODUCT_CASES = [
    ("facility", " lpp-ternate ", True), ("facility", "!", False),
    ("facility", "a" * 100, True), ("facility", "a" * 101, False),
    ("facility", "Lpp", False), ("category", "", True),
    ("q", "x" * 100 + "  ", True), ("q", "x" * 101, False),
    ("flagship", " TRUE ", True), ("flagship", "ya", True), ("flagship", "maybe", False),
    ("in_stock", "", True), ("in_stock", "2", False),
    ("min_price", str(2**31 - 1), True), ("min_price", str(2**31), False),
    ("max_price", "0", True), ("max_price", "-1", False), ("max_price", "1.5", False),
    ("page", "100000", True), ("page", "100001", False), ("page", "0", False),
    ("per_page", "100", True), ("per_page", "101", False),
    ("sort", "price_asc", True), ("sort", "cheapest", False),
]


@pytest.mark.parametrize(("name", "raw", "ok"), PRODUCT_CASES)
def test_product_filters_are_refused_exactly_where_the_document_says(client, name, raw, ok):
    assert allowed(parameter_schema("/products", name), raw) is ok
    response = client.get("/api/v1/products", query_string={name: raw})
    assert response.status_code == (200 if ok else 400), response.get_json()


STAFF_CASES = [
    ("status", "new", True), ("status", "awaiting_payment", False),
    ("page", "99999", True), ("page", "100000", False), ("page", "+1", False),
    ("q", "\x00EB-", True),  # a NUL byte in the search: no 500 on PostgreSQL
]


@pytest.mark.parametrize(("name", "raw", "ok"), STAFF_CASES)
def test_staff_filters_are_refused_exactly_where_the_document_says(client, staff_a, name, raw,
                                                                   ok):
    from shop.accounts.tokens import issue_api_token

    token = issue_api_token(staff_a, "uji")
    assert allowed(parameter_schema("/staff/fulfilments", name), raw) is ok
    response = client.get("/api/v1/staff/fulfilments", query_string={name: raw},
                          headers=bearer(token))
    assert response.status_code == (200 if ok else 400), response.get_json()


def body_schema(path, method="post"):
    ref = DOCUMENT["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return {**ref, "components": DOCUMENT["components"]}


@pytest.mark.parametrize("code", ["", "  ", "A", "HEMAT 10", "x" * 41])
def test_a_malformed_promotion_code_is_not_a_valid_request(client, code):
    schema = body_schema("/carts/{token}/promotion")
    assert not jsonschema.Draft202012Validator(schema).is_valid({"code": code})
    token = client.post("/api/v1/carts").get_json()["token"]
    response = client.post(f"/api/v1/carts/{token}/promotion", json={"code": code})
    assert response.status_code == 422


def test_a_whole_quantity_written_with_a_fraction_is_an_integer(client, gen_product):
    product = gen_product(stock=5)
    schema = body_schema("/carts/{token}/lines/{product_slug}", "put")
    assert jsonschema.Draft202012Validator(schema).is_valid({"quantity": 3.0})
    token = client.post("/api/v1/carts").get_json()["token"]
    response = client.put(f"/api/v1/carts/{token}/lines/{product.slug}", json={"quantity": 3.0})
    assert response.status_code == 200
    assert response.get_json()["facilities"][0]["lines"][0]["quantity"] == 3
    refused = client.put(f"/api/v1/carts/{token}/lines/{product.slug}", json={"quantity": 2.5})
    assert refused.status_code == 422


def test_the_desk_states_are_the_status_filter():
    from shop.staff.queries import DESK_STATES

    assert parameter_schema("/staff/fulfilments", "status")["enum"] == list(DESK_STATES)
