"""Midtrans (QRIS, virtual accounts, e-wallets) through the official client `midtransclient`
(offline: scripts/fake-midtrans). The only module importing midtransclient.

One Snap transaction per payment attempt: its Midtrans order_id (`EB-7K3M9Q-p2`: the order
number and the attempt) is the Intent id. The customer pays on Midtrans' hosted page
(`Intent.redirect_url`); Midtrans then POSTs a notification to the URL the shop gave at
creation (sent as X-Override-Notification). `parse_notification` checks its signature_key,
re-reads the status from the Core API and answers with that status, never with the
notification's own claims.

Statuses, gateway-neutral (`Intent.status`) from Midtrans' `transaction_status`:
  settlement, capture + fraud accept -> succeeded
  pending                            -> requires_action   (open: the customer still has to pay)
  capture + challenge, authorize     -> processing
  deny, failure, capture + deny      -> failed    (last_error says why, in Indonesian)
  cancel, expire                     -> canceled  (last_error says why)
  refund / partial_refund            -> refunded / partially_refunded
  a Snap page where no way to pay was chosen yet (Midtrans answers 404) -> requires_payment_method
"""

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

import midtransclient
import requests
from flask_babel import gettext as _

from shop.core.i18n import lazy_gettext as _l
from shop.payments.gateway import (
    GatewayEvent,
    GatewayUnavailable,
    Intent,
    InvalidWebhook,
    PaymentDeclined,
    RefundNotSupported,
    register,
)
from shop.payments.midtrans_hosts import DeadlineHttpClient, MidtransHosts

log = logging.getLogger(__name__)

WIB = timezone(timedelta(hours=7))  # Midtrans speaks Jakarta time
MAX_DUPLICATE_RETRIES = 3
EVENT_TYPES = {
    "succeeded": "payment_succeeded",
    "requires_action": "payment_waiting",
    "failed": "payment_failed",
    "canceled": "payment_failed",
}
# Refund through the API is possible for these ways to pay only (Midtrans' refund docs).
REFUNDABLE = {"qris", "gopay", "shopeepay", "credit_card", "dana", "ovo", "kredivo", "akulaku"}
# How a customer could have paid, as a staff member reads it (refund refusals).
WAYS_TO_PAY = {
    "bank_transfer": _l("transfer virtual account"),
    "echannel": "Mandiri Bill",
    "cstore": _l("gerai ritel"),
}


def _failure_message(status):
    messages = {
        "deny": _("Pembayaran ditolak oleh penyedia pembayaran. Coba cara bayar lain."),
        "failure": _("Pembayaran gagal diproses. Silakan coba lagi."),
        "cancel": _("Pembayaran dibatalkan."),
        "expire": _("Batas waktu pembayaran habis. Silakan bayar ulang."),
    }
    return messages.get(status)


def _neutral(status, fraud_status):
    """(gateway-neutral status, Indonesian message or None) of a Midtrans status."""
    if status == "settlement" or (status == "capture" and fraud_status == "accept"):
        return "succeeded", None
    if status == "capture" and fraud_status == "deny":
        return "failed", _failure_message("deny")
    if status in ("capture", "authorize"):
        return "processing", None
    if status == "pending":
        return "requires_action", None
    if status in ("deny", "failure"):
        return "failed", _failure_message(status)
    if status in ("cancel", "expire"):
        return "canceled", _failure_message(status)
    if status in ("refund", "chargeback"):
        return "refunded", None
    if status in ("partial_refund", "partial_chargeback"):
        return "partially_refunded", None
    return "processing", None  # a status this code does not know: never "succeeded"


def midtrans_order_id(order_number, attempt, retry=0):
    """The Midtrans order_id of one attempt (unique per attempt: Midtrans refuses a reuse)."""
    return f"{order_number}-p{attempt}" + (f"-r{retry}" if retry else "")


def _order_number(order_id):
    head, sep, _tail = order_id.rpartition("-p")
    return head if sep else None


def _rupiah(value) -> int:
    """150000 from "150000.00"; a non-whole or missing amount is an error."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if amount != amount.to_integral_value():
        raise ValueError(f"not whole rupiah: {value!r}")
    return int(amount)


def _wib_time(value):
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=WIB).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def _intent(data: dict) -> Intent:
    """An Intent from a Core API status answer (or notification-shaped dict)."""
    status = data.get("transaction_status")
    neutral, error = _neutral(status, data.get("fraud_status"))
    try:
        amount = _rupiah(data.get("gross_amount"))
        order_id = data["order_id"]
    except (KeyError, ValueError) as exc:
        raise GatewayUnavailable(f"unexpected Midtrans answer: {exc}") from exc
    return Intent(
        id=order_id, status=neutral, amount=amount,
        currency=str(data.get("currency") or "IDR").lower(), client_secret="",
        order_number=data.get("custom_field1") or _order_number(order_id), last_error=error,
        expires_at=_wib_time(data.get("expiry_time")), payment_type=data.get("payment_type"),
        provider_status=status, transaction_id=data.get("transaction_id"), raw=data,
    )


class _Refused(Exception):
    """Midtrans answered with an expected 4xx (handled by the caller)."""

    def __init__(self, code, message, body):
        super().__init__(message)
        self.code = code
        self.message = message
        self.body = body or {}


@register("midtrans")
class MidtransGateway:
    name = "midtrans"
    config_keys = ("MIDTRANS_SERVER_KEY", "MIDTRANS_CLIENT_KEY", "MIDTRANS_IS_PRODUCTION",
                   "MIDTRANS_API_BASE", "MIDTRANS_SNAP_BASE", "MIDTRANS_TIMEOUT_SECONDS",
                   "PAYMENT_WINDOW_MINUTES")

    def __init__(self, config):
        self.server_key = config["MIDTRANS_SERVER_KEY"]
        self.client_key = config.get("MIDTRANS_CLIENT_KEY") or ""
        self.is_production = bool(config.get("MIDTRANS_IS_PRODUCTION"))
        self.api_base = config.get("MIDTRANS_API_BASE") or None
        self.snap_base = config.get("MIDTRANS_SNAP_BASE") or None
        self.timeout = config.get("MIDTRANS_TIMEOUT_SECONDS") or 10
        self.default_expiry_minutes = config.get("PAYMENT_WINDOW_MINUTES") or 30
        self.core = self._client(midtransclient.CoreApi)

    def _client(self, cls, headers=None):
        client = cls(is_production=self.is_production, server_key=self.server_key,
                     client_key=self.client_key)
        client.api_config = MidtransHosts(
            is_production=self.is_production, server_key=self.server_key,
            client_key=self.client_key, api_base=self.api_base, snap_base=self.snap_base,
            custom_headers=headers)
        client.http_client = DeadlineHttpClient(self.timeout)
        return client

    def _call(self, fn, *args, refused=()):
        """Call midtransclient; expected refusals (codes in `refused`) raise _Refused, every
        other failure GatewayUnavailable."""
        try:
            return fn(*args)
        except midtransclient.MidtransAPIError as exc:
            body = exc.api_response_dict if isinstance(exc.api_response_dict, dict) else {}
            try:
                code = int(body.get("status_code") or exc.http_status_code)
            except (TypeError, ValueError):
                code = exc.http_status_code
            message = body.get("status_message") or "; ".join(body.get("error_messages") or [])
            if code in refused:
                raise _Refused(code, message, body) from exc
            raise GatewayUnavailable(f"Midtrans answered {code}: {message}") from exc
        except (requests.RequestException, midtransclient.JSONDecodeError, ValueError,
                TypeError, KeyError) as exc:
            raise GatewayUnavailable(f"Midtrans could not be reached: {exc}") from exc

    # ------------------------------------------------------------------ create
    def create_intent(self, *, amount, order_number, attempt, expiry_minutes=None,
                      finish_url=None, unfinish_url=None, error_url=None,
                      notification_url=None, customer=None, items=None,
                      enabled_payments=None) -> Intent:
        """A Snap transaction for one attempt. `amount` in rupiah; `expiry_minutes` (default
        PAYMENT_WINDOW_MINUTES) bounds the payment; the callback URLs are where the hosted
        page sends the customer back; `notification_url` receives the notifications;
        `customer` {"name"/"first_name", "email", "phone"}; `items` [{"id", "name", "price",
        "quantity"}] must add up to `amount`; `enabled_payments` e.g. ["other_qris",
        "bca_va", "gopay"]. Returns an Intent with status requires_payment_method, the Snap
        token as client_secret, redirect_url and expires_at."""
        minutes = int(expiry_minutes or self.default_expiry_minutes)
        start = datetime.now(WIB).replace(microsecond=0)
        body = {
            "transaction_details": {"order_id": None, "gross_amount": int(amount)},
            "expiry": {"start_time": start.strftime("%Y-%m-%d %H:%M:%S +0700"),
                       "unit": "minutes", "duration": minutes},
            "custom_field1": order_number,
            "custom_field2": str(attempt),
        }
        callbacks = {key: url for key, url in (("finish", finish_url),
                                                ("unfinish", unfinish_url),
                                                ("error", error_url)) if url}
        if callbacks:
            body["callbacks"] = callbacks
        if customer:
            details = {k: v for k, v in customer.items()
                       if k in ("first_name", "last_name", "email", "phone") and v}
            if customer.get("name") and "first_name" not in details:
                details["first_name"] = str(customer["name"])[:255]
            body["customer_details"] = details
        if items:
            body["item_details"] = [
                {"id": str(item.get("id", ""))[:50], "name": str(item["name"])[:50],
                 "price": int(item["price"]), "quantity": int(item["quantity"])}
                for item in items]
        if enabled_payments:
            body["enabled_payments"] = list(enabled_payments)
        headers = {"X-Override-Notification": notification_url} if notification_url else None
        snap = self._client(midtransclient.Snap, headers)
        for retry in range(MAX_DUPLICATE_RETRIES + 1):
            # An attempt whose answer was lost leaves its order_id taken: the next try of the
            # same attempt gets a fresh suffix (the lost one is never shown, and expires).
            order_id = midtrans_order_id(order_number, attempt, retry)
            body["transaction_details"]["order_id"] = order_id
            try:
                answer = self._call(snap.create_transaction, body, refused=(400,))
                break
            except _Refused as exc:
                if "already been taken" not in exc.message or retry == MAX_DUPLICATE_RETRIES:
                    raise GatewayUnavailable(f"Midtrans refused the transaction: "
                                             f"{exc.message}") from exc
                log.warning("Midtrans order_id %s already taken; trying a new one", order_id)
        try:
            token, redirect_url = answer["token"], answer["redirect_url"]
        except (KeyError, TypeError) as exc:
            raise GatewayUnavailable(f"unexpected Snap answer: {answer!r}") from exc
        return Intent(
            id=order_id, status="requires_payment_method", amount=int(amount), currency="idr",
            client_secret=token, order_number=order_number, redirect_url=redirect_url,
            expires_at=(start + timedelta(minutes=minutes)).astimezone(UTC),
        )

    # ------------------------------------------------------------------ read
    def retrieve(self, intent_id) -> Intent:
        """The attempt's state from GET /v2/<order_id>/status. Before the customer chose a
        way to pay, Midtrans knows no transaction (404): status requires_payment_method,
        amount 0 (unknown), provider_status None."""
        try:
            return _intent(self._call(self.core.transactions.status, intent_id, refused=(404,)))
        except _Refused:
            return Intent(id=intent_id, status="requires_payment_method", amount=0,
                          currency="idr", client_secret="", order_number=_order_number(intent_id))

    # ------------------------------------------------------------------ change
    def cancel(self, intent_id) -> None:
        """Close an attempt so it can no longer be paid: cancel a pending payment, or expire a
        Snap page where nothing was chosen yet. Already closed (cancelled, expired, denied):
        nothing to do. Paid: PaymentDeclined (code cannot_cancel); refund it instead."""
        try:
            self._call(self.core.transactions.cancel, intent_id, refused=(404, 412))
            return
        except _Refused as exc:
            if exc.code == 404:  # no payment yet: expire the Snap session instead
                try:
                    self._call(self.core.transactions.expire, intent_id, refused=(404, 412))
                    return
                except _Refused as inner:
                    if inner.code == 404:
                        return  # Midtrans knows nothing of it: nothing can be paid
        current = self.retrieve(intent_id)
        if current.status in ("canceled", "failed", "requires_payment_method"):
            return  # already closed (or a Snap page that expired unpaid)
        raise PaymentDeclined(_("Pembayaran ini sudah selesai sehingga tidak dapat dibatalkan."),
                              code="cannot_cancel")

    def expire(self, intent_id) -> Intent:
        """End a pending attempt now (POST /v2/<order_id>/expire). Returns the Intent as it
        stands; a paid one raises PaymentDeclined (code cannot_expire)."""
        try:
            self._call(self.core.transactions.expire, intent_id, refused=(404, 412))
        except _Refused as exc:
            if exc.code == 404:
                raise PaymentDeclined(_("Transaksi tidak ditemukan di Midtrans."),
                                      code="not_found") from exc
            current = self.retrieve(intent_id)
            if current.status in ("canceled", "failed"):
                return current
            raise PaymentDeclined(_("Pembayaran ini sudah selesai sehingga tidak dapat "
                                    "dibatalkan."), code="cannot_expire") from exc
        return self.retrieve(intent_id)

    def refund(self, intent_id, amount, idempotency_key, reason=None) -> str:
        """Give `amount` rupiah back (POST /v2/<order_id>/refund, refund_key =
        idempotency_key: repeating it refunds once). Returns Midtrans' refund id. Ways to
        pay that Midtrans cannot refund (virtual accounts) raise RefundNotSupported; other
        refusals PaymentDeclined (code refund_refused)."""
        params = {"refund_key": idempotency_key, "amount": int(amount),
                  "reason": (reason or _("Pengembalian dana pesanan"))[:255]}
        try:
            answer = self._call(self.core.transactions.refund, intent_id, params,
                                refused=(404, 412, 413, 414))
        except _Refused as exc:
            current = self.retrieve(intent_id)
            if current.payment_type and current.payment_type not in REFUNDABLE:
                way = WAYS_TO_PAY.get(current.payment_type, current.payment_type)
                raise RefundNotSupported(
                    _("Pembayaran lewat %(way)s tidak dapat dikembalikan lewat Midtrans. "
                      "Kembalikan dana dengan transfer bank dan catat secara manual.", way=way),
                    payment_type=current.payment_type) from exc
            raise PaymentDeclined(_("Midtrans menolak pengembalian dana: %(reason)s",
                                    reason=exc.message), code="refund_refused") from exc
        refund_id = answer.get("refund_chargeback_uuid") or answer.get("refund_chargeback_id")
        if refund_id in (None, ""):
            raise GatewayUnavailable(f"unexpected refund answer: {answer!r}")
        return str(refund_id)

    # ------------------------------------------------------------------ notifications
    def verify_signature(self, data: dict) -> bool:
        """signature_key == SHA512(order_id + status_code + gross_amount + server key),
        compared in constant time."""
        fields = ("order_id", "status_code", "gross_amount", "signature_key")
        if not all(isinstance(data.get(k), str) for k in fields):
            return False
        raw = data["order_id"] + data["status_code"] + data["gross_amount"] + self.server_key
        expected = hashlib.sha512(raw.encode()).hexdigest()
        return hmac.compare_digest(expected.encode(), data["signature_key"].encode())

    def parse_notification(self, body: bytes) -> GatewayEvent:
        """A Midtrans HTTP notification, verified and re-read. Raises InvalidWebhook (bad
        JSON, bad signature), GatewayUnavailable (status could not be re-read: answer
        non-2xx so Midtrans retries). The event's id, for processing once, is
        "<transaction_id>:<transaction_status>" of the re-read status; its type
        payment_succeeded | payment_waiting | payment_failed | other, and its intent, also
        come from the re-read status: a late or replayed notification cannot move an order
        back."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidWebhook(f"not JSON: {exc}") from exc
        if not isinstance(data, dict) or not self.verify_signature(data):
            raise InvalidWebhook("signature_key does not verify")
        order_id = data["order_id"]
        try:
            current = self._call(self.core.transactions.status, order_id, refused=(404,))
        except _Refused as exc:
            raise GatewayUnavailable(f"Midtrans does not know {order_id} yet") from exc
        if current.get("order_id") != order_id or not current.get("transaction_id"):
            raise InvalidWebhook(f"status of {order_id} does not match the notification")
        intent = _intent(current)
        if data.get("gross_amount") != current.get("gross_amount"):
            log.warning("notification for %s says %s, Midtrans status says %s", order_id,
                        data.get("gross_amount"), current.get("gross_amount"))
        return GatewayEvent(id=f"{intent.transaction_id}:{intent.provider_status}",
                            type=EVENT_TYPES.get(intent.status, "other"), intent=intent)

    def parse_webhook(self, payload, signature=None) -> GatewayEvent:
        """The PaymentGateway interface: Midtrans signs inside the body."""
        return self.parse_notification(payload)

    def pay_with_test_card(self, intent_id, card):
        raise NotImplementedError("Midtrans is paid on its hosted page (redirect_url); offline, "
                                  "scripts/fake-midtrans serves it")

