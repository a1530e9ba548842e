import pytest
from werkzeug.datastructures import MultiDict

from shop.catalog.filters import MAX_PRICE, FilterError, ProductFilter, parse_product_filter


def parse(strict=False, **args):
    return parse_product_filter(MultiDict(args), strict=strict)


def test_defaults():
    f = parse()
    assert f == ProductFilter()
    assert not f.is_filtered


def test_all_filters_read():
    f = parse(q=" sambal ", facility="lpp-ternate", category="sambal", flagship="1",
              min_price="1000", max_price="50000", in_stock="true", sort="price_asc", page="2")
    assert f == ProductFilter(q="sambal", facility="lpp-ternate", category="sambal",
                              flagship=True, min_price=1000, max_price=50000, in_stock=True,
                              sort="price_asc", page=2)
    assert f.is_filtered


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"page": "-1"}, {"page": 1}),
        ({"page": "abc"}, {"page": 1}),
        ({"page": "99999999999999999999"}, {"page": 100_000}),
        ({"min_price": "abc"}, {"min_price": None}),
        ({"min_price": "-5"}, {"min_price": 0}),
        ({"max_price": "1e9"}, {"max_price": None}),
        ({"max_price": str(10**30)}, {"max_price": MAX_PRICE}),
        ({"sort": "xyz"}, {"sort": "newest"}),
        ({"flagship": "maybe"}, {"flagship": False}),
        ({"q": "x" * 500}, {"q": "x" * 100}),
    ],
)
def test_lenient_parsing_ignores_or_clamps(args, expected):
    f = parse(**args)
    for key, value in expected.items():
        assert getattr(f, key) == value


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"sort": "xyz"}, "sort"),
        ({"flagship": "maybe"}, "flagship"),
        ({"in_stock": "2"}, "in_stock"),
        ({"facility": "../etc"}, "facility"),
        ({"per_page": "101"}, "per_page"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_strict_parsing_names_the_bad_field(args, field):
    with pytest.raises(FilterError) as info:
        parse(strict=True, **args)
    assert info.value.field == field
    assert info.value.message  # Indonesian, shown to API clients


def test_query_args_keep_only_non_defaults():
    # with search words the default order is relevance
    f = parse(q="kayu", flagship="1", sort="relevance", page="1")
    assert f.sort == "relevance"
    assert f.query_args() == {"q": "kayu", "flagship": "1"}
    assert f.query_args(page=3) == {"q": "kayu", "flagship": "1", "page": 3}
    assert parse(q="kayu").sort == "relevance"
    assert parse(q="kayu", sort="newest").query_args() == {"q": "kayu", "sort": "newest"}
    # without words, newest (relevance means nothing there)
    assert parse(flagship="1", sort="newest").query_args() == {"flagship": "1"}
    assert parse(sort="relevance").sort == "newest"
