"""Bank statement import: the formats read (generic, BCA, Mandiri, BNI, BRI), credits that
confirm exactly one open transfer, credits that match nothing or several (listed and matched by
hand), garbage lines reported while the rest is imported, the same file imported twice."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select, update

from shop.core.audit import AuditEntry
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.services import expire_order
from shop.payments.models import Payment, StatementLine, TransferCode
from shop.payments.statement_formats import (
    UnreadableStatement,
    parse_amount,
    parse_statement,
)
from tests.payments.kanwil import login, outbox

TODAY = date(2026, 2, 1)


# ------------------------------------------------------------------ the formats (pure)

@pytest.mark.parametrize("raw, expected", [
    ("1,234,567.00", (1234567, "")), ("1.234.567,00", (1234567, "")), ("Rp150.123", (150123, "")),
    ("287,490.00 DB", (287490, "DB")), ("799,700.00 CR", (799700, "CR")), ("-50000", (50000, "DB")),
    (".00", (0, "")), ("150000", (150000, "")), ("807400.00", (807400, "")),
])
def test_amounts_are_read_either_way(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "150.10", "1.5", "12,34,5"])
def test_amounts_with_cents_or_noise_are_refused(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)


def credits_of(text, encoding="utf-8"):
    parsed = parse_statement(text.encode(encoding), TODAY)
    return parsed, [(c.booked_on.isoformat(), c.amount) for c in parsed.credits]


def test_generic_format():
    parsed, credits = credits_of("date,description,amount\n2026-01-05,TRF BUDI,150123\n"
                                 "2026-01-05,BIAYA ADM,-5000\n06/01/2026,SETORAN,\"75.500\"\n")
    assert parsed.format == "generic" and parsed.debits == 1
    assert credits == [("2026-01-05", 150123), ("2026-01-06", 75500)]


def test_bca_personal_with_preamble_flag_column_pending_and_summary():
    parsed, credits = credits_of(
        "No. rekening : 0123456789\nNama : RPL KANWIL\nPeriode : 01/01/2026 - 31/01/2026\n\n"
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n"
        "'02/01/2026,TRSF E-BANKING DB 0201/FTSCY/WS95271 72100000.00 SUPPLIER,'0000,"
        "72100000.00,DB,20826599.94\n"
        "'03/01,TRSF E-BANKING CR 0301/FTSCY/WS95051 150123.00 BUDI,'0000,150123.00,CR,"
        "4637271.73\n"
        "PEND,TRSF E-BANKING CR BUDI,'0000,99000.00,CR,0\n"
        "Saldo Awal,,,4487148.73\nMutasi Kredit,,,150123.00\n")
    assert parsed.format == "bca" and parsed.debits == 1
    assert credits == [("2026-01-03", 150123)]  # year from the Periode line
    assert [g.reason for g in parsed.garbage] == ["pending"]


def test_bca_business_flag_in_the_amount():
    parsed, credits = credits_of('Tanggal Transaksi,"Keterangan","Cabang","Jumlah"\n'
                                 '01/01/2026,"TRSF DB","0000","287,490.00 DB"\n'
                                 '01/01/2026,"TRSF CR BUDI","0000","799,700.00 CR"\n')
    assert parsed.format == "bca" and credits == [("2026-01-01", 799700)]


def test_mandiri_two_description_columns_and_empty_sides():
    parsed, credits = credits_of(
        "Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,"
        "Debit,Credit\n"
        '1234567890123,15/01/26,15/01/26,6902,"TRF DARI BUDI","REF778/BUDI SANTOSO",,'
        '".00","150,123.00"\n'
        '1234567890123,20/01/26,20/01/26,7500,"TRF KE LAIN","OUT",,"2,500,000.00",".00"\n')
    assert parsed.format == "mandiri" and parsed.debits == 1
    assert credits == [("2026-01-15", 150123)]
    assert "REF778/BUDI SANTOSO" in parsed.credits[0].description


def test_bni_and_bri_guesses():
    parsed, credits = credits_of(
        "Post Date,Value Date,Branch,Journal No.,Description,Debit,Credit\n"
        "05/01/2026 09:10:11,05/01/2026,0123,778899,TRANSFER DARI BUDI,0.00,150123.00\n")
    assert parsed.format == "bni" and credits == [("2026-01-05", 150123)]
    parsed, credits = credits_of(
        "Tanggal Transaksi;Uraian Transaksi;Teller;Debet;Kredit;Saldo\n"
        "05/01/26;TRANSFER DARI BUDI;8888;0,00;150.123,00;1.000.000,00\n", "cp1252")
    assert parsed.format == "bri" and credits == [("2026-01-05", 150123)]


def test_a_file_without_a_known_header_is_refused():
    with pytest.raises(UnreadableStatement):
        parse_statement(b"hello,world\n1,2\n", TODAY)
    with pytest.raises(UnreadableStatement):
        parse_statement(b"\x89PNG\r\n\x1a\n\x00\x00", TODAY)


# ------------------------------------------------------------------ importing

@pytest.fixture
def three(place_transfer, gen_product, facility_a):
    """Three open transfers of different totals."""
    products = [gen_product(facility=facility_a, price=price, stock=5)
                for price in (40_000, 55_000, 70_000)]
    return [place_transfer({product: 1}) for product in products]


def upload(client, text, name="mutasi.csv"):
    return client.post("/admin/payments/statements/", data={
        "statement": (io.BytesIO(text.encode()), name)}, content_type="multipart/form-data")


def statement_for(*rows):
    return "date,description,amount\n" + "".join(f"{d},{desc},{amount}\n"
                                                   for d, desc, amount in rows)


def status_of(order):
    db.session.expire_all()
    return db.session.get(Order, order.id).status


def test_import_confirms_matches_and_lists_the_rest(client, admin, three):
    first, second, third = three
    login(client, admin.email)
    text = statement_for(("2026-01-05", "TRF BUDI", first.payment.amount_due),
                         ("2026-01-05", "TRF SITI", 12_345),
                         ("2026-01-05", "BIAYA ADM", -5_000),
                         ("kemarin", "RUSAK", 1),
                         ("2026-01-06", "TRF ANI", f'"{third.payment.amount_due:,}"'))
    response = upload(client, text)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="count-matched"><span class="stat-label">Cocok, pesanan dibayar</span><strong>2' \
        in page
    assert "tanggal tidak terbaca" in page and "kemarin" in page
    assert status_of(first.order) == "paid" and status_of(third.order) == "paid"
    assert status_of(second.order) == "pending_payment"
    assert outbox(first.order.email, "sudah dibayar")
    rows = db.session.scalars(select(AuditEntry).where(
        AuditEntry.kind == "payment.transfer_confirmed")).all()
    assert {r.subject for r in rows} == {first.order.number, third.order.number}
    assert all(r.actor_label == admin.email and "baris" in r.note for r in rows)
    assert "mutasi.csv baris 2" in next(r.note for r in rows if r.subject == first.order.number)
    lines = db.session.scalars(select(StatementLine).order_by(StatementLine.id)).all()
    assert [(line.status, line.amount) for line in lines] == [
        ("matched", first.payment.amount_due), ("unmatched", 12_345),
        ("matched", third.payment.amount_due)]
    assert {line.imported_by for line in lines} == {admin.email}
    # the unmatched credit waits on the page for hand matching
    assert 'id="to-match"' in page and "Rp12.345" in page.split('id="to-match"')[1]


def test_the_same_file_twice_confirms_nothing_twice(client, admin, three):
    first = three[0]
    login(client, admin.email)
    text = statement_for(("2026-01-05", "TRF BUDI", first.payment.amount_due),
                         ("2026-01-05", "TRF BUDI", first.payment.amount_due),
                         ("2026-01-05", "TRF SITI", 12_345))
    upload(client, text)
    # two identical credits in one file: the second is kept for hand matching (a double payment?)
    assert [line.status for line in db.session.scalars(
        select(StatementLine).order_by(StatementLine.id))] == ["matched", "unmatched", "unmatched"]
    before = (len(outbox()), db.session.scalar(select(func.count()).select_from(AuditEntry)))
    page = upload(client, text).get_data(as_text=True)
    assert 'id="count-duplicates"><span class="stat-label">Sudah pernah diimpor</span><strong>3' \
        in page
    assert db.session.scalar(select(func.count()).select_from(StatementLine)) == 3
    assert len(outbox()) == before[0]
    assert len(outbox(first.order.email, "sudah dibayar")) == 1


def test_a_credit_matching_several_transfers_is_ambiguous_then_matched_by_hand(
        client, admin, three):
    first, second, _third = three
    # the first order expired; its (late) transfer attempt has the amount of the second's
    order = db.session.get(Order, first.order.id)
    assert expire_order(order)
    db.session.execute(TransferCode.__table__.delete().where(
        TransferCode.payment_id == first.payment.id))
    db.session.execute(update(Payment).where(Payment.id == first.payment.id)
                       .values(status="canceled", amount_due=second.payment.amount_due))
    db.session.commit()
    login(client, admin.email)
    page = upload(client, statement_for(("2026-01-07", "TRF ?", second.payment.amount_due))
                  ).get_data(as_text=True)
    assert 'id="count-ambiguous"><span class="stat-label">Cocok dengan beberapa pesanan</span>' \
           "<strong>1" in page
    assert first.order.number in page and second.order.number in page
    assert status_of(second.order) == "pending_payment"

    line = db.session.scalar(select(StatementLine))
    assert line.status == "ambiguous"
    done = client.post(f"/admin/payments/statements/lines/{line.id}/match",
                       data={"number": second.order.number.lower()}, follow_redirects=True)
    assert "dibayar" in done.get_data(as_text=True)
    assert status_of(second.order) == "paid"
    db.session.expire_all()
    line = db.session.get(StatementLine, line.id)
    assert line.status == "handled" and line.payment_id == second.payment.id
    again = client.post(f"/admin/payments/statements/lines/{line.id}/match",
                        data={"number": second.order.number}, follow_redirects=True)
    assert "sudah ditangani" in again.get_data(as_text=True)


def test_hand_matching_a_wrong_amount_shows_the_difference(client, admin, three):
    login(client, admin.email)
    upload(client, statement_for(("2026-01-07", "TRF SITI", three[1].payment.amount_due - 100)))
    line = db.session.scalar(select(StatementLine))
    response = client.post(f"/admin/payments/statements/lines/{line.id}/match",
                           data={"number": three[1].order.number}, follow_redirects=True)
    assert "KURANG Rp100" in response.get_data(as_text=True)
    assert status_of(three[1].order) == "pending_payment"
    assert db.session.get(StatementLine, line.id).status == "unmatched"


def test_a_line_can_be_set_aside(client, admin, three):
    login(client, admin.email)
    upload(client, statement_for(("2026-01-07", "BUNGA", 3_210)))
    line = db.session.scalar(select(StatementLine))
    client.post(f"/admin/payments/statements/lines/{line.id}/dismiss", data={"note": "bunga"})
    db.session.expire_all()
    assert db.session.get(StatementLine, line.id).status == "handled"
    assert 'id="to-match"' not in client.get("/admin/payments/statements/").get_data(
        as_text=True)


def test_an_unreadable_file_is_refused_with_a_message(client, admin, three):
    login(client, admin.email)
    response = upload(client, "just some text\nnothing here\n")
    assert response.status_code == 422
    assert "bukan mutasi rekening" in response.get_data(as_text=True)
    assert upload(client, "").status_code == 422  # empty upload
