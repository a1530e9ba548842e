"""The Stripe webhook. Authenticated by its signature, so exempt from CSRF."""

from flask import Blueprint, jsonify, request

from shop.extensions import csrf
from shop.payments.gateway import InvalidWebhook
from shop.payments.services import handle_webhook

bp = Blueprint("payments", __name__)


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    try:
        outcome = handle_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook:
        return jsonify(error={"code": "bad_signature", "message": "Tanda tangan tidak valid."}), 400
    return jsonify(received=True, outcome=outcome)
