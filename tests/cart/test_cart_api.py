"""The cart API and page: current prices, grouping by facility, quantities, bad input."""

import pytest

from tests.catalog.test_api import assert_matches


@pytest.fixture
def goods(gen_facility, gen_category, gen_product):
    ternate = gen_facility(slug="lpp-ternate", name="Lapas Perempuan Ternate")
    sanana = gen_facility(slug="lapas-sanana", name="Lapas Sanana")
    closed = gen_facility(slug="lapas-tutup", name="Lapas Tutup", is_active=False)
    cat = gen_category("Kerajinan", slug="kerajinan")
    return {
        "roa": gen_product(facility=ternate, category=cat, slug="sambal-roa", price=45_000,
                            stock=10, unit="jar", name="Sambal Roa"),
        "tisu": gen_product(facility=sanana, category=cat, slug="kotak-tisu", price=150_000,
                             stock=3, name="Kotak Tisu"),
        "habis": gen_product(facility=sanana, category=cat, slug="habis", stock=0),
        "draft": gen_product(facility=sanana, category=cat, slug="draf", status="draft"),
        "closed": gen_product(facility=closed, category=cat, slug="tutup"),
    }


def new_cart(client):
    response = client.post("/api/v1/carts")
    assert response.status_code == 201
    assert_matches(response.get_json(), "Cart")
    return response.get_json()["token"]


def put(client, token, slug, quantity):
    return client.put(f"/api/v1/carts/{token}/lines/{slug}", json={"quantity": quantity})


def test_cart_groups_by_facility_with_current_prices(client, goods, db_session):
    token = new_cart(client)
    assert put(client, token, "sambal-roa", 2).status_code == 200
    body = put(client, token, "kotak-tisu", 1).get_json()
    assert_matches(body, "Cart")
    # grouped by facility, in name order
    assert [g["facility"] for g in body["facilities"]] == ["lpp-ternate", "lapas-sanana"]
    assert body["subtotal"] == 2 * 45_000 + 150_000 and body["item_count"] == 3
    assert body["facilities"][0]["subtotal"] == 90_000

    goods["roa"].price = 50_000  # the price changes after it was added
    db_session.commit()
    body = client.get(f"/api/v1/carts/{token}").get_json()
    roa = body["facilities"][0]["lines"][0]
    assert roa["price"] == 50_000 and roa["line_total"] == 100_000
    assert roa["problems"] == ["price_changed"]
    assert body["subtotal"] == 250_000 and body["can_checkout"] is True


def test_zero_removes_and_stock_limits(client, goods):
    token = new_cart(client)
    put(client, token, "kotak-tisu", 3)
    response = put(client, token, "kotak-tisu", 4)
    assert response.status_code == 422
    assert "tinggal 3" in response.get_json()["error"]["message"]
    body = put(client, token, "kotak-tisu", 0).get_json()
    assert body["facilities"] == [] and body["item_count"] == 0


@pytest.mark.parametrize("quantity", [-1, 10**9, "abc", 1.5, None, True, [], {}, "2; DROP"])
def test_bad_quantities_change_nothing(client, goods, quantity):
    token = new_cart(client)
    put(client, token, "sambal-roa", 2)
    response = put(client, token, "sambal-roa", quantity)
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["message"]
    body = client.get(f"/api/v1/carts/{token}").get_json()
    assert body["facilities"][0]["lines"][0]["quantity"] == 2


@pytest.mark.parametrize("slug", ["habis", "draf", "tutup", "tidak-ada"])
def test_unbuyable_products_are_refused(client, goods, slug):
    token = new_cart(client)
    response = put(client, token, slug, 1)
    assert response.status_code == 422
    assert client.get(f"/api/v1/carts/{token}").get_json()["item_count"] == 0


def test_unknown_cart_token_is_404(client, goods):
    for url in ["/api/v1/carts/bukan-token", "/api/v1/carts/" + "x" * 300]:
        assert client.get(url).status_code == 404
    assert put(client, "bukan-token", "sambal-roa", 1).status_code == 404


def test_bad_bodies(client, goods):
    token = new_cart(client)
    url = f"/api/v1/carts/{token}/lines/sambal-roa"
    assert client.put(url, data="not json", content_type="application/json").status_code == 400
    assert client.put(url, json=[1, 2]).status_code == 400
    assert client.put(url, json={"qty": 1}).status_code == 400


def test_sold_out_and_archived_lines_stay_visible_and_block_checkout(client, goods, db_session):
    token = new_cart(client)
    put(client, token, "sambal-roa", 2)
    put(client, token, "kotak-tisu", 1)
    goods["tisu"].stock = 0
    goods["roa"].status = "archived"
    db_session.commit()
    body = client.get(f"/api/v1/carts/{token}").get_json()
    problems = {line["product"]: line["problems"]
                for group in body["facilities"] for line in group["lines"]}
    assert problems == {"kotak-tisu": ["sold_out"], "sambal-roa": ["unavailable"]}
    assert body["can_checkout"] is False


def test_cart_page_add_update_remove_and_header_count(client, goods):
    response = client.post("/cart/add", data={"product": "sambal-roa", "quantity": "2",
                                              "next": "/products/sambal-roa"})
    assert response.status_code == 302 and response.location == "/products/sambal-roa"
    client.post("/cart/add", data={"product": "kotak-tisu", "quantity": "1"})
    html = client.get("/cart").get_data(as_text=True)
    assert '<span class="cart-count">3</span>' in html
    assert "Lapas Perempuan Ternate" in html and "Lapas Sanana" in html
    assert "Rp90.000" in html and "Rp240.000" in html
    client.post("/cart/update", data={"product": "sambal-roa", "quantity": "5"})
    html = client.get("/cart").get_data(as_text=True)
    assert "Rp225.000" in html and '<span class="cart-count">6</span>' in html
    client.post("/cart/update", data={"product": "kotak-tisu", "remove": "1"})
    html = client.get("/cart").get_data(as_text=True)
    assert "Lapas Sanana" not in html and '<span class="cart-count">5</span>' in html
    # the count also shows on other pages, even cached ones
    assert '<span class="cart-count">5</span>' in client.get("/").get_data(as_text=True)


def test_cart_page_explains_refusals(client, goods):
    client.post("/cart/add", data={"product": "kotak-tisu", "quantity": "9"})
    html = client.get("/cart").get_data(as_text=True)
    assert "Stok Kotak Tisu tinggal 3." in html
    client.post("/cart/add", data={"product": "sambal-roa", "quantity": "abc"})
    assert "Jumlah harus bilangan bulat." in client.get("/cart").get_data(as_text=True)


def test_open_redirect_is_refused_after_add(client, goods):
    response = client.post("/cart/add", data={"product": "sambal-roa", "quantity": "1",
                                              "next": "//evil.example/"})
    assert response.location == "/cart"


def test_adding_from_a_list_without_js_comes_back_to_the_same_card(client, gen_product):
    """Section 4 of issue 13: the card's form sends the buyer back to its own anchor."""
    import re

    product = gen_product(slug="kue-list-anchor", name="Kue Jangkar", stock=5)
    html = client.get("/products").get_data(as_text=True)
    assert f'id="p-{product.slug}"' in html
    card = html.split(f'id="p-{product.slug}"')[1].split("</article>")[0]
    target = re.search(r'name="next" value="([^"]+)"', card).group(1)
    assert target == f"/products#p-{product.slug}"
    response = client.post("/cart/add", data={"product": product.slug, "quantity": "1",
                                              "next": target})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/products#p-{product.slug}")


JSON = {"Accept": "application/json"}


def test_adding_by_fetch_answers_json_and_queues_no_flash(client, goods):
    response = client.post("/cart/add", data={"product": "sambal-roa", "quantity": "2"},
                           headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "count": 2,
                                   "message": "Sambal Roa ditambahkan ke keranjang."}
    refused = client.post("/cart/add", data={"product": "kotak-tisu", "quantity": "9"},
                          headers=JSON)
    assert refused.status_code == 422
    assert refused.get_json() == {"ok": False, "count": 2,
                                  "message": "Stok Kotak Tisu tinggal 3."}
    html = client.get("/cart").get_data(as_text=True)
    assert "ditambahkan" not in html and "tinggal 3" not in html  # no flash left behind
    assert '<span class="cart-count">2</span>' in html

    client.set_cookie("lang", "en")
    answer = client.post("/cart/add", data={"product": "sambal-roa"}, headers=JSON).get_json()
    assert answer["message"] == "Sambal Roa added to your cart." and answer["count"] == 3


@pytest.mark.parametrize("quantity, step, expected", [
    ("2", "1", 3), ("2", "-1", 1), ("1", "-1", 1), ("3", "1", 2), ("x", "1", 2)])
def test_the_stepper_buttons_work_without_javascript(client, goods, quantity, step, expected):
    client.post("/cart/add", data={"product": "kotak-tisu", "quantity": "2"})
    response = client.post("/cart/update", data={"product": "kotak-tisu", "quantity": quantity,
                                                 "step": step})
    assert response.status_code == 302
    assert response.location == "/cart#line-kotak-tisu"  # back to the same line
    html = client.get("/cart").get_data(as_text=True)
    assert f'<span class="cart-count">{expected}</span>' in html
    if quantity == "3":  # stock is 3: one more is refused with the reason
        assert "Stok Kotak Tisu tinggal 3." in html
    if quantity == "x":
        assert "Jumlah harus bilangan bulat." in html
    assert 'aria-label="Tambah Kotak Tisu"' in html and 'aria-label="Kurangi Kotak Tisu"' in html
