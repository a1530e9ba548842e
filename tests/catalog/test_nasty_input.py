"""Nothing a URL can hold produces a 500: pages answer 200/404, the API 200/400/404 in JSON."""

from urllib.parse import quote

import pytest

NASTY = [
    "-1", "0", "abc", "1e9", "9" * 50, "-" + "9" * 50, "", " ", "%", "%%", "_", "\\", "'",
    '"', "' OR 1=1 --", "1; DROP TABLE product", "<script>alert(1)</script>", "\x00", "\u202e",
    "😀", "ñandú", "日本語", "../../etc/passwd", "%00", "NaN", "Infinity", "null", "[]", "{}",
    "x" * 5000,
]
PARAMS = ["q", "facility", "category", "flagship", "min_price", "max_price", "in_stock", "sort",
          "page", "per_page"]


@pytest.fixture
def some_data(catalogue):
    return catalogue


@pytest.mark.parametrize("value", NASTY, ids=lambda v: repr(v)[:20])
def test_catalogue_filters_never_fail(client, some_data, value):
    for param in PARAMS:
        url = f"/products?{param}={quote(value)}"
        response = client.get(url)
        assert response.status_code == 200, url
        api = client.get(f"/api/v1/products?{param}={quote(value)}")
        assert api.status_code in (200, 400), url
        assert "error" in api.get_json() or "items" in api.get_json()
    assert value not in ("<script>alert(1)</script>",) or value not in client.get(
        f"/products?q={quote(value)}").get_data(as_text=True)


@pytest.mark.parametrize("value", NASTY, ids=lambda v: repr(v)[:20])
def test_slugs_and_paths_never_fail(client, some_data, value):
    quoted = quote(value, safe="")
    for url, allowed in [
        (f"/products/{quoted}", {404, 200, 308}),
        (f"/facilities/{quoted}", {404, 200, 308}),
        (f"/api/v1/products/{quoted}", {404}),
        (f"/api/v1/facilities/{quoted}", {404}),
        (f"/media/{quoted}/thumb.webp", {404}),
        (f"/media/{'a' * 20}/{quoted}.webp", {404}),
        (f"/lang/{quoted}?next={quoted}", {302, 404}),
    ]:
        response = client.get(url)
        assert response.status_code in allowed, (url, response.status_code)
        if url.startswith("/api/"):
            assert response.get_json()["error"]["code"] == "not_found"


def test_script_in_query_is_escaped(client, some_data):
    html = client.get("/products?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_repeated_and_mixed_parameters(client, some_data):
    response = client.get("/products?page=1&page=abc&sort=name&sort=xyz&facility=a&facility=b")
    assert response.status_code == 200
    assert client.get("/api/v1/products?page=2&page=x").status_code in (200, 400)


@pytest.mark.parametrize("value", NASTY, ids=lambda v: repr(v)[:20])
def test_cart_and_order_routes_never_fail(client, some_data, value):
    quoted = quote(value, safe="")
    for url, allowed in [
        (f"/orders/{quoted}", {404, 308}),
        (f"/orders/{quoted}?token={quoted}", {404, 308}),
        (f"/orders/{quoted}/pay", {404, 308}),
        (f"/orders/{quoted}/return", {404, 308}),
        (f"/api/v1/orders/{quoted}", {404}),
        (f"/api/v1/carts/{quoted}", {404}),
    ]:
        response = client.get(url, headers={"X-Order-Token": "x"})
        assert response.status_code in allowed, (url, response.status_code)
    for data in [{"product": value, "quantity": value}, {"product": value, "quantity": "1"}]:
        # refused politely (a redirect with a message), or 400 for a NUL byte
        assert client.post("/cart/add", data=data).status_code in (302, 400)
        assert client.post("/cart/update", data=data).status_code in (302, 400)
    response = client.put(f"/api/v1/carts/{quoted}/lines/{quoted}", json={"quantity": value})
    assert response.status_code in (404, 400, 422)


def test_nul_bytes_in_forms_and_json_are_bad_requests(client, some_data):
    response = client.post("/cart/add", data={"product": "sambal\x00", "quantity": "1"})
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.get_data(as_text=True)
    token = client.post("/api/v1/carts").get_json()["token"]
    api = client.post(f"/api/v1/carts/{token}/checkout",
                      json={"contact": {"name": "A\x00"}, "address": {}, "delivery": {}})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "bad_request"
