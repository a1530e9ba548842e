"""The proof of a bank transfer: images and PDFs checked by content and size, stored under a
private key no public route serves, only for the order's own customer."""

import io
import os

import pytest
from PIL import Image
from sqlalchemy import select

from shop.media.storage import get_storage
from shop.payments.models import Payment
from shop.payments.services import current_payment, start_payment

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


def image_bytes(fmt, size=(300, 200)):
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make: metadata that must not be kept
    image.save(out, fmt, exif=exif) if fmt in ("JPEG", "WEBP") else image.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def transfer(app, client, goods, place_by):
    order, token = place_by("bank_transfer", {goods.roa: 1})
    with app.test_request_context():
        start_payment(order)
    assert client.get(f"/orders/{order.number}?token={token}").status_code == 200
    return order


def upload(client, order, data, name="bukti.jpg"):
    return client.post(f"/orders/{order.number}/pay/proof",
                       data={"proof": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_an_image_is_re_encoded_and_stored_privately(client, db_session, transfer, fmt, ext):
    response = upload(client, transfer, image_bytes(fmt), name="bukti.bin")
    assert response.status_code == 200
    assert "Bukti transfer diterima. Kanwil akan memeriksanya." in response.get_data(as_text=True)
    payment = current_payment(transfer)
    assert payment.proof_uploaded_at is not None
    assert payment.proof_key.startswith(f"private/proofs/{transfer.number}/")
    assert payment.proof_key.endswith(f".{ext}")
    stored = get_storage().read(payment.proof_key)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == fmt and image.size == (300, 200)
        assert "Kamera Rahasia" not in str(image.getexif().get(0x010F, ""))
    # Not reachable by any public URL.
    assert client.get(f"/media/{payment.proof_key}").status_code == 404
    assert client.get(f"/static/../instance/{payment.proof_key}").status_code == 404


def test_a_pdf_is_stored_as_sent(client, db_session, transfer):
    response = upload(client, transfer, PDF, name="mutasi.pdf")
    assert "Bukti transfer diterima" in response.get_data(as_text=True)
    payment = current_payment(transfer)
    assert payment.proof_key.endswith(".pdf")
    assert get_storage().read(payment.proof_key) == PDF
    assert "Bukti transfer diterima pada" in client.get(
        f"/orders/{transfer.number}/pay").get_data(as_text=True)


@pytest.mark.parametrize("data, name, message", [
    (b"Ini bukan gambar, hanya teks.\n" * 10, "bukti.jpg",
     "Berkas harus berupa foto (JPEG, PNG, WebP) atau PDF."),
    (b"%PDF-1.4 but cut short", "bukti.pdf",
     "Berkas harus berupa foto (JPEG, PNG, WebP) atau PDF."),
    (b"GIF89a" + b"\0" * 50, "bukti.gif", "Berkas harus berupa foto (JPEG, PNG, WebP) atau PDF."),
    (b"", "kosong.jpg", "Pilih berkas bukti transfer."),
])
def test_what_is_no_image_or_pdf_is_refused(client, db_session, transfer, data, name, message):
    response = upload(client, transfer, data, name=name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert current_payment(transfer).proof_key is None


def test_a_file_above_the_limit_is_refused(app, client, db_session, transfer):
    app.config["PROOF_MAX_BYTES"] = 2048
    try:
        big = PDF + b"%" + b"x" * 4096 + b"\n%%EOF\n"
        response = upload(client, transfer, big, name="besar.pdf")
    finally:
        app.config["PROOF_MAX_BYTES"] = 5 * 1024 * 1024
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert current_payment(transfer).proof_key is None


def test_the_default_limit_refuses_a_file_over_5_mb(client, db_session, transfer):
    big = PDF + b"%" + b"x" * (5 * 1024 * 1024) + b"\n%%EOF\n"
    response = upload(client, transfer, big, name="besar.pdf")
    assert "Berkas terlalu besar (maksimal 5 MB)." in response.get_data(as_text=True)
    assert current_payment(transfer).proof_key is None


def test_another_orders_customer_cannot_upload(app, db_session, goods, place_by, transfer):
    stranger = app.test_client()
    other, other_token = place_by("bank_transfer", {goods.roa: 1})
    stranger.get(f"/orders/{other.number}?token={other_token}")  # holds another order's token
    response = stranger.post(f"/orders/{transfer.number}/pay/proof",
                             data={"proof": (io.BytesIO(PDF), "bukti.pdf")},
                             content_type="multipart/form-data")
    assert response.status_code == 404
    wrong = stranger.post(f"/orders/{transfer.number}/pay/proof?token={other_token}",
                          data={"proof": (io.BytesIO(PDF), "bukti.pdf")},
                          content_type="multipart/form-data")
    assert wrong.status_code == 404
    assert current_payment(transfer).proof_key is None


def test_no_proof_for_an_order_paid_another_way(app, client, db_session, goods, place_by):
    order, token = place_by("pay_at_pickup", {goods.roa: 1})
    with app.test_request_context():
        start_payment(order)
    client.get(f"/orders/{order.number}?token={token}")
    response = upload(client, order, PDF, name="bukti.pdf")
    assert "Pesanan ini tidak menunggu transfer bank." in response.get_data(as_text=True)
    assert db_session.scalar(select(Payment.proof_key)) is None


def test_proofs_live_outside_every_public_folder(app, client, db_session, transfer):
    upload(client, transfer, PDF, name="bukti.pdf")
    key = current_payment(transfer).proof_key
    path = get_storage().local_path(key)
    assert os.path.isfile(path)
    assert not str(path).startswith(os.path.abspath(app.static_folder))
