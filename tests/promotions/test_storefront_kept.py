"""What each process keeps per catalogue content version (shop.core.cache.ContentMemo): the live
promotions, the facility list and the category menu are read once per version, and every
change a visitor would see shows on the next page, with the page cache off (as in tests)."""

import re
import time
from datetime import timedelta

from shop.core.time import utcnow
from shop.extensions import db
from tests.promotions.test_release import _expire, _promotion


def _card(client, slug):
    html = client.get("/products").get_data(as_text=True)
    return html.split(f'id="p-{slug}"')[1].split("</article>")[0]


def test_kept_lists_are_read_once_per_content_version(client, goods, gen_promotion,
                                                      count_queries):
    gen_promotion(value=20, targets=[goods.roa])
    client.get("/products")
    with count_queries() as warm:
        client.get("/products")
    read = " ".join(warm.statements)
    assert "FROM promotion" not in read and "FROM category" not in read
    assert not re.search(r"FROM facility\s+WHERE", read)  # (the list; cards join it)
    goods.ternate.name = "Lapas Perempuan Kelas III Ternate"  # an edit: a new version
    db.session.commit()
    with count_queries() as after_edit:
        html = client.get("/products").get_data(as_text=True)
    assert ">Lapas Perempuan Kelas III Ternate</option>" in html
    again = " ".join(after_edit.statements)
    assert "FROM promotion" in again and "FROM category" in again  # read once more
    assert re.search(r"FROM facility\s+WHERE", again)


def test_an_approved_promotion_shows_at_once(client, goods, gen_promotion, admin):
    from shop.promotions.approval import approve_promotion

    promotion = gen_promotion(value=20, targets=[goods.roa], approval="pending")
    assert "<del>" not in _card(client, "sambal-roa")
    approve_promotion(promotion, admin)
    assert "Rp36.000" in _card(client, "sambal-roa")


def test_a_used_up_promotion_given_its_use_back_shows_again(client, goods, gen_promotion,
                                                             place_with_code):
    promotion = gen_promotion(value=20, targets=[goods.roa], max_uses=1)
    assert "Rp36.000" in _card(client, "sambal-roa")
    order, _ = place_with_code({goods.roa: 1})
    assert order.discount_total == 9_000 and _promotion(promotion).uses == 1
    assert "<del>" not in _card(client, "sambal-roa")  # used up
    _expire(order)  # unpaid: the use goes back
    assert _promotion(promotion).uses == 0
    assert "Rp36.000" in _card(client, "sambal-roa")


def test_a_promotion_shows_when_it_starts_and_goes_when_it_ends(client, goods, gen_promotion):
    now = utcnow()
    starts, ends = now + timedelta(seconds=1.5), now + timedelta(seconds=3)
    gen_promotion(value=20, targets=[goods.roa], starts_at=starts, ends_at=ends)
    assert "<del>" not in _card(client, "sambal-roa")  # kept until it starts
    time.sleep(max(0.0, (starts - utcnow()).total_seconds() + 0.1))
    assert "Rp36.000" in _card(client, "sambal-roa")
    time.sleep(max(0.0, (ends - utcnow()).total_seconds() + 0.1))
    assert "<del>" not in _card(client, "sambal-roa")


def test_each_language_keeps_its_own_words(client, goods, gen_promotion):
    gen_promotion(benefit="free_shipping", value=0, code="ONGKIR", targets=[goods.roa])
    assert "kode ONGKIR gratis ongkir" in _card(client, "sambal-roa")
    client.set_cookie("lang", "en")
    assert "code ONGKIR free shipping" in _card(client, "sambal-roa")


def test_the_last_use_hides_the_mark_even_when_judged_from_an_old_read(client, goods,
                                                                         gen_promotion):
    """Two checkouts that read "2 uses left" before either took one: the second to take its
    use is the last, judged on the row as written, and the storefront stops showing it."""
    from shop.promotions.services import _claim, rules_from

    promotion = gen_promotion(value=20, targets=[goods.roa], max_uses=2)
    assert "Rp36.000" in _card(client, "sambal-roa")
    read_before = rules_from(promotion)  # both checkouts' view: 2 left
    assert _claim(read_before, 9_000)
    db.session.commit()
    assert "Rp36.000" in _card(client, "sambal-roa")  # one left
    assert _claim(read_before, 9_000)
    db.session.commit()
    assert _promotion(promotion).uses == 2
    assert "<del>" not in _card(client, "sambal-roa")
    assert not _claim(read_before, 9_000)  # and no third use
