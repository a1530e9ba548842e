"""Stock markers filled into a (cached) page: parsed once, filled per request."""

import pytest

from shop.catalog.stock_slots import StockPage

BODY = ('<p><!--stock:1:badge--></p>'
        '<!--stock:1:if--><form><input max="<!--stock:1:max-->"><!--stock:1:badge--></form>'
        '<!--/stock-->'
        '{"stock": "<!--stock:2:n-->", "stock_state": "<!--stock:2:state-->", '
        '"raw": <!--stock:2:n-->}'
        '<!--stock:3:if-->never closed <!--stock:3:zzz-->')


@pytest.fixture
def in_request(app):
    with app.test_request_context():
        yield app.config["LOW_STOCK_THRESHOLD"]


def test_markers_are_filled_from_the_values(in_request):
    page = StockPage(BODY)
    assert page.ids == [1, 2]  # (3: an incomplete marker, left as text, needs no value)
    filled = page.fill({1: 150, 2: 0})
    assert filled == (
        '<p><span class="stock stock-ok">Tersedia</span></p>'
        '<form><input max="99"><span class="stock stock-ok">Tersedia</span></form>'
        '{"stock": 0, "stock_state": "sold_out", "raw": <!--stock:2:n-->}'
        '<!--stock:3:if-->never closed <!--stock:3:zzz-->')


def test_low_and_sold_out(in_request):
    low = in_request
    filled = StockPage(BODY).fill({1: low, 2: low + 1})
    assert f'<span class="stock stock-low">Tinggal {low}</span>' in filled
    assert f'max="{low}"' in filled and '"stock_state": "available"' in filled
    sold_out = StockPage(BODY).fill({})
    assert '<p><span class="stock stock-out">Habis</span></p>{' in sold_out  # no form
    assert '"stock": 0' in sold_out


def test_a_page_without_markers_is_itself(in_request):
    assert StockPage("<p>Tentang kami</p>").fill({}) == "<p>Tentang kami</p>"
    assert StockPage("<p>Tentang kami</p>").ids == []
