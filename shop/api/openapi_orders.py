# ruff: noqa: F405 - shared names come through star imports
"""Parts of the OpenAPI document: orders, payments, checkout, the staff desk, impact, query
parameters. Assembled into the document in shop/api/openapi.py."""


from shop.api.openapi_common import *  # noqa: F403
from shop.api.openapi_common import __all__ as _COMMON
from shop.catalog.filters import MAX_PAGE, MAX_PRICE, MAX_QUERY_LENGTH, SORTS
from shop.checkout.addresses import FIELD_LIMITS, PROVINCES
from shop.orders.fulfilment import COURIERS
from shop.payments.pickup import COUNTER_METHODS, MAX_REFERENCE

__all__ = _COMMON + [
    "ORDER_STATUS",
    "PARCEL_STATUS",
    "ORDER_LINE",
    "FACILITY_ORDER",
    "_EXPIRES",
    "PAYMENT_CARD",
    "PAYMENT_BANK_TRANSFER",
    "PAYMENT_MIDTRANS",
    "PAYMENT_PICKUP",
    "PAYMENT",
    "ORDER",
    "_SEP",
    "_PHONE",
    "PAYMENT_METHOD",
    "CHECKOUT_REQUEST",
    "RESTART_PAYMENT_REQUEST",
    "_COUNTER_PAYMENT",
    "TRANSITION_REQUEST",
    "FULFILMENT",
    "BEARER",
    "_IMPACT_FIGURES",
    "IMPACT",
    "_query",
    "_json",
    "ERROR_RESPONSE",
    "_BOOLEAN_WORDS",
    "_SLUG_FILTER",
    "PRODUCT_FILTERS",
    "REGION_CODE",
    "SLUG",
    "TOKEN",
]


ORDER_STATUS = {"enum": ["pending_payment", "paid", "partially_shipped", "shipped", "completed",
                         "cancelled", "expired"]}
PARCEL_STATUS = {"enum": ["awaiting_payment", "new", "accepted", "packed", "shipped",
                          "delivered", "ready_for_pickup", "picked_up", "cancelled"]}

ORDER_LINE = {
    "type": "object",
    "required": ["product", "name", "unit", "unit_price", "quantity", "line_total"],
    "properties": {
        "product": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "unit_price": {"type": "integer"},
        "quantity": {"type": "integer", "minimum": 1},
        "line_total": {"type": "integer"},
    },
    "additionalProperties": False,
}

# What a parcel is and owes, the same in the buyer's order and on the facility's desk.
_PARCEL_STATE = {
    "status": PARCEL_STATUS,
    "delivery": {"enum": ["courier", "pickup"]},
    "subtotal": {"type": "integer"},
    "shipping": {"type": "integer"},
    "discount": {"type": "integer"},
    "total": {"type": "integer"},
    "courier": _nullable("string"),
    "tracking_number": _nullable("string"),
}

FACILITY_ORDER = {
    "type": "object",
    "required": ["number", "facility", "status", "subtotal", "shipping", "discount", "total"],
    "properties": {
        "number": {"type": "string", "pattern": "^EB-[0-9A-Z]{6}-[0-9]+$"},
        "facility": {"type": "string"},
        **_PARCEL_STATE,
        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/OrderLine"}},
        "discounts": {"type": "array", "items": {
            "type": "object", "required": ["promotion", "amount", "funding"],
            "properties": {"promotion": {"type": "string"}, "amount": {"type": "integer"},
                           "shipping_part": {"type": "integer"},
                           "funding": {"enum": ["partner", "facility"]}}}},
    },
    "additionalProperties": False,
}

_EXPIRES = {"type": "string", "format": "date-time",
            "description": "ISO 8601 with offset: the end of the payment window"}
PAYMENT_CARD = {
    "type": "object",
    "required": ["provider", "payment_intent", "client_secret", "publishable_key"],
    "properties": {
        "provider": {"const": "stripe"},
        "payment_intent": _nullable("string"),
        "client_secret": _nullable("string"),
        "publishable_key": {"type": "string"},
    },
    "additionalProperties": False,
}
PAYMENT_BANK_TRANSFER = {
    "type": "object",
    "required": ["provider", "amount_due", "unique_code", "bank", "expires_at"],
    "properties": {
        "provider": {"const": "bank_transfer"},
        "amount_due": {"type": "integer", "description": "total + unique_code: send exactly this"},
        "unique_code": {"type": "integer", "minimum": 1, "maximum": 999},
        "bank": {"type": "object", "required": ["name", "account_number", "account_holder"],
                 "properties": {"name": {"type": "string"}, "account_number": {"type": "string"},
                                "account_holder": {"type": "string"}},
                 "additionalProperties": False},
        "expires_at": _EXPIRES,
    },
    "additionalProperties": False,
}
PAYMENT_MIDTRANS = {
    "type": "object",
    "required": ["provider", "order_id", "snap_token", "redirect_url", "expires_at"],
    "properties": {
        "provider": {"const": "midtrans"},
        "order_id": {"type": "string", "description": "Midtrans order id of this attempt"},
        "snap_token": {"type": "string"},
        "redirect_url": {"type": "string"},
        "expires_at": _EXPIRES,
    },
    "additionalProperties": False,
}
PAYMENT_PICKUP = {
    "type": "object",
    "required": ["provider", "expires_at"],
    "properties": {"provider": {"const": "pay_at_pickup"}, "expires_at": _EXPIRES},
    "additionalProperties": False,
}
PAYMENT = {
    "oneOf": [{"$ref": "#/components/schemas/PaymentCard"},
              {"$ref": "#/components/schemas/PaymentBankTransfer"},
              {"$ref": "#/components/schemas/PaymentMidtrans"},
              {"$ref": "#/components/schemas/PaymentAtPickup"},
              {"type": "null"}],
    "description": "By the order's payment method. null when the gateway could not be reached "
    "at checkout: the order stays pending and is paid from its pay page.",
}

ORDER = {
    "type": "object",
    "required": ["number", "status", "total", "facility_orders", "payment"],
    "properties": {
        "number": {"type": "string", "pattern": "^EB-[0-9A-Z]{6}$"},
        "token": {"type": "string", "description": "secret access token (checkout answer only)"},
        "status": ORDER_STATUS,
        "subtotal": {"type": "integer"},
        "shipping_total": {"type": "integer"},
        "discount_total": {"type": "integer"},
        "total": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"},
        "facility_orders": {"type": "array",
                            "items": {"$ref": "#/components/schemas/FacilityOrder"}},
        "payment": {"$ref": "#/components/schemas/Payment"},
    },
    "additionalProperties": False,
}

_SEP = rf"[{_WS_CHARS}().-]*"  # what normalize_phone drops
_PHONE = rf"^{_SEP}(\+{_SEP}6{_SEP}2|6{_SEP}2|0){_SEP}[1-9]({_SEP}[0-9]){{7,11}}{_SEP}$"
PAYMENT_METHOD = {
    "enum": ["bank_transfer", "midtrans", "card", "pay_at_pickup"],
    # Which are enabled is configuration (PAYMENT_METHODS): a disabled one is refused with 422.
    "description": "one of the enabled methods (PAYMENT_METHODS); default the first enabled "
    "one; pay_at_pickup only when every parcel is pickup (else 422 invalid_payment_method)",
}

# Extra properties are ignored by the server, so a client has no reason to send them.
CHECKOUT_REQUEST = {
    "type": "object",
    "required": ["contact", "address", "delivery"],
    "properties": {
        "contact": {
            "type": "object",
            "required": ["name", "email", "phone"],
            "properties": {
                "name": _filled(FIELD_LIMITS["name"]),
                # email_validator decides (no JSON Schema format says exactly what it takes).
                "email": _text(254, format="email"),
                "phone": {"type": "string", "description": "+62... or 08..., stored as +62",
                          "pattern": _PHONE},
            },
            "additionalProperties": False,
        },
        "address": {
            "type": "object",
            "required": ["street", "kelurahan", "kecamatan", "city", "province", "postal_code"],
            "properties": {
                "street": _filled(FIELD_LIMITS["street"]),
                "rt_rw": _trimmed(r"([0-9]{1,3}" + _WS + "*/" + _WS + "*[0-9]{1,3})?",
                                  "RT/RW, e.g. 003/005; may be empty"),
                "kelurahan": _filled(FIELD_LIMITS["kelurahan"]),
                "kecamatan": _filled(FIELD_LIMITS["kecamatan"]),
                "city": _filled(FIELD_LIMITS["city"], description="kabupaten/kota"),
                "province": {"enum": list(PROVINCES), "description": "one of the 38 provinces"},
                "postal_code": _trimmed("[0-9]{5}"),
                "village_code": {
                    "type": "string", "pattern": "^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$",
                    "description": "optional Kemendagri code of the kelurahan/desa (GET "
                    "/regions). When given, kelurahan, kecamatan, city and province are taken "
                    "from the code and the shipping zone from its regency; an empty postal_code "
                    "is filled with the village's own."},
                "province_code": {"type": "string", "pattern": "^[0-9]{2}$",
                                  "description": "optional; must be the village's province "
                                  "(422 otherwise)"},
                "regency_code": {"type": "string", "pattern": "^[0-9]{2}\\.[0-9]{2}$",
                                 "description": "optional; must be the village's regency/city "
                                 "(422 otherwise)"},
                "district_code": {"type": "string",
                                  "pattern": "^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$",
                                  "description": "optional; must be the village's district "
                                  "(422 otherwise)"},
            },
            "additionalProperties": False,
        },
        "delivery": {
            "type": "object",
            # Whether the slugs are exactly the cart's facilities depends on the cart: a 422
            # invalid_delivery otherwise (not expressible in the document).
            "description": "one entry per facility slug in the cart",
            "propertyNames": {"pattern": "^[a-z0-9-]{1,100}$"},
            "additionalProperties": {"enum": ["courier", "pickup"]},
        },
        "note": _text(FIELD_LIMITS["note"]),
        "payment_method": PAYMENT_METHOD,
    },
    "additionalProperties": False,
}

RESTART_PAYMENT_REQUEST = {
    "type": "object",
    "properties": {"payment_method": {
        **PAYMENT_METHOD,
        "description": "one of the enabled methods (PAYMENT_METHODS); default the order's "
        "method; pay_at_pickup only when every parcel is picked up"}},
    "additionalProperties": False,
}

_COUNTER_PAYMENT = {
    "type": "object", "required": ["method", "amount"],
    "description": "required to move a pay_at_pickup parcel to picked_up: what the customer "
    "paid at the counter for THIS parcel (422 payment_required / amount_invalid / "
    "reference_required; 409 amount_mismatch with amount_due, received, difference)",
    "properties": {
        "method": {"enum": list(COUNTER_METHODS)},
        "amount": {"type": "integer", "minimum": 1,
                   "description": "rupiah; must equal the parcel total"},
        "reference": _text(MAX_REFERENCE, description="required for qris"),
    },
    "additionalProperties": False,
}

TRANSITION_REQUEST = {
    "type": "object", "required": ["to"],
    # Which moves are allowed depends on the parcel's state (409 with error.allowed otherwise).
    "properties": {
        "to": PARCEL_STATUS,
        "courier": {"enum": list(COURIERS), "description": "required to move to shipped"},
        "courier_name": _filled(40, description="required with courier other"),
        "tracking_number": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9-]{3,59}$",
                            "description": "required to move to shipped"},
        "reason": _text(1000, description="required to cancel: at least 5 characters"),
        "payment": {"oneOf": [_COUNTER_PAYMENT, {"type": "null"}]},
    },
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"to": {"const": "shipped"}}},
         "then": {"required": ["courier", "tracking_number"]}},
        {"if": {"properties": {"to": {"const": "shipped"}, "courier": {"const": "other"}},
                "required": ["courier"]},
         "then": {"required": ["courier_name"]}},
        {"if": {"properties": {"to": {"const": "cancelled"}}},
         "then": {"required": ["reason"],
                  "properties": {"reason": {
                      "pattern": rf"[^\x00{_WS_CHARS}][^\x00]{{3,}}[^\x00{_WS_CHARS}]"}}}},
    ],
}


FULFILMENT = {
    "type": "object",
    "required": ["number", "order", "facility", "status", "delivery", "total", "allowed_moves",
                 "lines"],
    "properties": {
        "number": {"type": "string"},
        "order": {"type": "string"},
        "facility": {"type": "string"},
        **_PARCEL_STATE,
        "paid_at": _nullable("string"),
        "payment": {"enum": ["paid", "pay_at_pickup"],
                    "description": "pay_at_pickup until the parcel is paid at the counter "
                    "(record the payment when moving it to picked_up)"},
        "allowed_moves": {"type": "array", "items": PARCEL_STATUS},
        "customer": {"type": "object", "properties": {"name": {"type": "string"},
                                                      "phone": {"type": "string"}}},
        "address": {"type": "object", "description": "courier parcels only"},
        "lines": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": False,
}

BEARER = [{"bearerAuth": []}]


_IMPACT_FIGURES = {name: {"type": "integer"} for name in (
    "orders", "units", "goods_revenue", "premi", "pnbp", "capital")}
IMPACT = {
    "type": "object",
    "required": ["year", "provisional", "facilities", "totals"],
    "additionalProperties": False,
    "properties": {
        "year": {"type": "integer"},
        "provisional": {"type": "boolean", "description": "a month of the year is not closed"},
        "facilities": {"type": "array", "items": {
            "type": "object",
            "required": ["facility", "name", *_IMPACT_FIGURES],
            "additionalProperties": False,
            "properties": {"facility": {"type": "string"}, "name": {"type": "string"},
                           **_IMPACT_FIGURES}}},
        "totals": {"type": "object", "required": list(_IMPACT_FIGURES),
                   "additionalProperties": False, "properties": _IMPACT_FIGURES},
    },
}


def _query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _json(ref):
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}


ERROR_RESPONSE = {"description": "Error", **_json("#/components/schemas/Error")}

# The API reads filters strictly (400 invalid_parameter) after trimming spaces.
_BOOLEAN_WORDS = "(1|0|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|" \
    "[Oo][Ff][Ff]|[Yy][Aa]|[Tt][Ii][Dd][Aa][Kk])?"
_SLUG_FILTER = _trimmed("[a-z0-9-]{0,100}")
PRODUCT_FILTERS = [
    _query("q", _trimmed(f"[\\s\\S]{{0,{MAX_QUERY_LENGTH}}}"),
           f"Search in name and description (literal); at most {MAX_QUERY_LENGTH} characters."),
    _query("facility", _SLUG_FILTER, "Facility slug."),
    _query("category", _SLUG_FILTER, "Category slug; includes sub-categories."),
    _query("flagship", _trimmed(_BOOLEAN_WORDS), "Only flagship products (1/0, true/false)."),
    _query("min_price", {"type": "integer", "minimum": 0, "maximum": MAX_PRICE},
           "Minimum price in rupiah."),
    _query("max_price", {"type": "integer", "minimum": 0, "maximum": MAX_PRICE},
           "Maximum price in rupiah."),
    _query("in_stock", _trimmed(_BOOLEAN_WORDS), "Only products with stock (1/0, true/false)."),
    _query("sort", {"enum": list(SORTS)}, "Order (default: relevance with `q`, else newest)."),
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page."),
]

REGION_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "Kemendagri code, dotted: 82, 82.71, 82.71.06, 82.71.06.1010"}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "cart token"}
