from shop.core.slugs import MAX_SLUG_LENGTH, make_slug, unique_slug
from shop.core.text import escape_like, search_key


def test_make_slug_transliterates_and_lowercases():
    assert make_slug("Sambal Roa Original") == "sambal-roa-original"
    assert make_slug("Kopi & Teh: Édition spéciale!") == "kopi-teh-edition-speciale"
    assert make_slug("   ") == "item"
    assert len(make_slug("kayu " * 100)) <= MAX_SLUG_LENGTH


def test_unique_slug_adds_suffix_until_free():
    taken = {"kotak-tisu", "kotak-tisu-2"}
    assert unique_slug("Kotak Tisu", taken.__contains__) == "kotak-tisu-3"
    assert unique_slug("Kursi", taken.__contains__) == "kursi"


def test_unique_slug_stays_within_length():
    long_name = "a" * 200
    taken = {make_slug(long_name)}
    slug = unique_slug(long_name, taken.__contains__)
    assert slug.endswith("-2") and len(slug) <= MAX_SLUG_LENGTH


def test_search_key_folds_case_and_unicode_forms():
    assert search_key("SAMBAL Roa") == "sambal roa"
    assert search_key("Straße") == search_key("STRASSE")
    assert search_key("ｓａｍｂａｌ") == "sambal"  # full-width letters (NFKC)


def test_escape_like_makes_wildcards_literal():
    assert escape_like("50%_off\\") == "50\\%\\_off\\\\"
