"""The confirmation mail shows goods, shipping, each promotion and the total on their own rows,
per parcel and for the order, and they add up (issue 13: 90.000 + 10.000 = "Jumlah 90.000"
lost its discount row)."""

import re

from sqlalchemy import select

from shop.extensions import db
from shop.mail.models import OutboxMessage
from shop.orders.services import mark_paid

AMOUNT = r"(-?)Rp([\d.]+)"


def rupiah(sign, digits):
    return (-1 if sign else 1) * int(digits.replace(".", ""))


def paid_mail(order):
    mark_paid(order, actor="uji")
    db.session.commit()
    return db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == order.email).order_by(OutboxMessage.id.desc()).limit(1))


def blocks(text):
    """Each parcel's rows ("- ...: RpX") up to its "Jumlah: RpY" line."""
    found, rows = [], []
    for line in text.splitlines():
        row = re.match(r"^- .*: " + AMOUNT + "$", line)
        total = re.match(r"^\s+Jumlah: " + AMOUNT + "$", line)
        if row:
            rows.append(rupiah(*row.groups()))
        elif total:
            found.append((rows, rupiah(*total.groups())))
            rows = []
    return found


def test_the_paid_mail_has_a_row_per_discount_and_the_rows_add_up(
        goods, gen_promotion, place_with_code):
    promotion = gen_promotion(code="HEMAT10", value=10, funding="partner", name="Hemat Sepuluh")
    order, _ = place_with_code({goods.roa: 2, goods.tas: 1}, code="hemat10",
                               delivery={"lpp-ternate": "courier", "lapas-sanana": "pickup"})
    assert order.discount_total == 24_000
    mail = paid_mail(order)

    text = mail.text_body
    assert "- Promo: Hemat Sepuluh: -Rp9.000" in text
    assert "- Promo: Hemat Sepuluh: -Rp15.000" in text
    parcels = blocks(text)
    assert len(parcels) == 2
    for rows, total in parcels:
        assert sum(rows) == total  # goods + shipping - promotions = the parcel's total
    assert [total for _, total in parcels] == [fo.total for fo in order.facility_orders]
    summary = text.split("Ringkasan pesanan", 1)[1]
    assert "- Subtotal barang: Rp240.000" in summary
    assert "- Ongkos kirim: Rp10.000" in summary
    assert f"- Promo: {promotion.name}: -Rp24.000" in summary
    assert "Total: Rp226.000" in summary
    assert order.total == 240_000 + 10_000 - 24_000

    html = mail.html_body
    assert html.count("Promo: Hemat Sepuluh") == 3  # two parcels and the summary
    assert "-Rp24.000" in html and "Rp226.000" in html


def test_an_order_without_discounts_has_no_promotion_rows(goods, place_with_code):
    order, _ = place_with_code({goods.roa: 1})
    mail = paid_mail(order)
    assert "Promo" not in mail.text_body and "Promo" not in mail.html_body
    assert "Ringkasan pesanan" not in mail.text_body  # one parcel, nothing to sum
    [(rows, total)] = blocks(mail.text_body)
    assert sum(rows) == total == order.total


def test_the_english_mail_names_the_promotion_rows_in_english(
        goods, gen_promotion, place_with_code):
    gen_promotion(code="HEMAT10", value=10, funding="partner", name="Hemat Sepuluh")
    order, _ = place_with_code({goods.roa: 2, goods.tas: 1}, code="hemat10")
    order.language = "en"
    db.session.commit()
    text = paid_mail(order).text_body
    assert "Order summary" in text
    assert "- Promotion: Hemat Sepuluh: -Rp24.000" in text
    assert "- Items subtotal: Rp240.000" in text
    assert "Ringkasan" not in text and "Subtotal barang" not in text
