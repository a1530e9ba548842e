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


EDGES = [
    BODY,
    '<!--stock:4:if-->a<!--stock:5:if-->b<!--/stock-->c<!--/stock-->',  # an `if` in an `if`
    '"<!--stock:6:n-->" "<!--stock:6:state--> <!--stock:6:n-->" <!--stock:6:state-->',
    '<!--stock:7:if-->x"<!--stock:7:n-->"<input max="<!--stock:7:max-->"><!--/stock-->'
    '<!--stock:x:badge--><!--stock:8:badge',
    "<p>no markers</p>",
    "",
]


@pytest.mark.parametrize("body", EDGES)
@pytest.mark.parametrize("values", [{}, {1: 150, 2: 0, 4: 1, 5: 0, 6: 2, 7: 3},
                                    {1: 1, 2: 7, 3: 5, 4: 0, 5: 9, 6: 0, 7: 0, 8: 4}])
def test_a_page_filled_once_is_the_parsed_page_filled(in_request, body, values):
    """A page served once (not kept) is filled without being parsed (fill_once): the same
    text, edge cases included."""
    from shop.catalog.stock_slots import FILLER

    assert FILLER.fill_once(body, values) == StockPage(body).fill(values)
