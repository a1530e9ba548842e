"""The OpenAPI 3.1 document of /api/v1. Tests validate it and match responses against it."""

from flask import jsonify

from shop.catalog.filters import MAX_PAGE, MAX_PRICE, MAX_QUERY_LENGTH, SORTS
from shop.checkout.addresses import FIELD_LIMITS, PROVINCES
from shop.core.api import bp
from shop.orders.fulfilment import COURIERS, DESK_STATES
from shop.payments.pickup import COUNTER_METHODS, MAX_REFERENCE
from shop.promotions.codes import CODE_RE


def _nullable(type_):
    return {"type": [type_, "null"]}


# What the server reads, said as patterns. Query values are trimmed by the server (str.strip):
# _WS is exactly Python's whitespace, so "trimmed, then at most N characters" is stated exactly.
_WS_CHARS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WS = f"[{_WS_CHARS}]"


def _trimmed(core, description=None):
    schema = {"type": "string", "pattern": f"^{_WS}*{core}{_WS}*$"}
    return {**schema, "description": description} if description else schema


# A JSON body with a NUL character anywhere is refused (400) before any route reads it.
_NO_NUL = r"^[^\x00]*$"


def _text(max_length=None, **extra):
    schema = {"type": "string", "pattern": _NO_NUL, **extra}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _filled(max_length, **extra):
    """A required text field: something besides spaces, at most max_length once trimmed."""
    return {"type": "string", "maxLength": max_length,
            "pattern": rf"^[^\x00]*[^\x00{_WS_CHARS}][^\x00]*$", **extra}


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "products": {"type": "array", "items": {"type": "string"}},
                "allowed": {"type": "array", "items": {"type": "string"}},
                "current": {"type": "string"},
                "expected": {"type": "integer", "description": "amount_mismatch: amount due"},
                "amount_due": {"type": "integer", "description": "a counter payment: amount due"},
                "received": {"type": "integer", "description": "amount_mismatch: amount sent"},
                "difference": {"type": "integer",
                               "description": "amount_mismatch: received - expected"},
            },
        }
    },
}


def _list_of(ref):
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": ref}},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
        },
        "additionalProperties": False,
    }


IMAGE = {
    "type": "object",
    "required": ["alt", "thumb", "card", "large"],
    "properties": {
        "alt": {"type": "string"},
        "thumb": {"type": "string", "description": "320x240 WebP"},
        "card": {"type": "string", "description": "640x480 WebP"},
        "large": {"type": "string", "description": "up to 1200 px wide, WebP"},
    },
    "additionalProperties": False,
}

PRODUCT = {
    "type": "object",
    "required": [
        "slug", "name", "price", "currency", "unit", "stock", "stock_state", "is_flagship",
        "facility", "category", "images", "url",
    ],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "name_en": _nullable("string"),
        "description": {"type": "string"},
        "description_en": _nullable("string"),
        "price": {"type": "integer", "minimum": 1, "description": "whole rupiah"},
        "currency": {"const": "IDR"},
        "unit": {"type": "string", "examples": ["piece", "kg", "pack", "bottle", "jar"]},
        "unit_label": {"type": "string"},
        "weight_grams": {"type": "integer", "minimum": 0},
        "stock": {"type": "integer", "minimum": 0},
        "stock_state": {"enum": ["available", "low", "sold_out"]},
        "is_flagship": {"type": "boolean"},
        "flagship_year": _nullable("integer"),
        "is_perishable": {"type": "boolean"},
        "facility": {"type": "string", "description": "facility slug"},
        "facility_name": {"type": "string"},
        "category": {"type": "string", "description": "category slug"},
        "category_name": {"type": "string"},
        "pirt_number": _nullable("string"),
        "bpom_number": _nullable("string"),
        "halal_number": _nullable("string"),
        "images": {"type": "array", "items": {"$ref": "#/components/schemas/Image"}},
        "url": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
    "additionalProperties": False,
}

FACILITY = {
    "type": "object",
    "required": ["slug", "name", "kind", "class", "town", "regency", "flagship_target"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"enum": ["lapas", "rutan", "lpka", "lpp"]},
        "class": {"type": "string"},
        "town": {"type": "string"},
        "regency": {"type": "string"},
        "address": {"type": "string"},
        "phone": {"type": "string"},
        "email": {"type": "string"},
        "opening_hours": {"type": "string"},
        "profile": {"type": "string"},
        "profile_en": _nullable("string"),
        "programmes": {"type": "array", "items": {"type": "string"}},
        "revenue_split": {
            "type": "object",
            "required": ["premi", "pnbp", "working_capital"],
            "properties": {
                "premi": {"type": "integer"},
                "pnbp": {"type": "integer"},
                "working_capital": {"type": "integer"},
            },
            "additionalProperties": False,
        },
        "product_count": {"type": "integer", "minimum": 0},
        "flagship_count": {"type": "integer", "minimum": 0},
        "flagship_target": {
            "type": "object",
            "required": ["year", "target", "met"],
            "properties": {
                "year": {"type": "integer"},
                "target": {"type": "integer"},
                "met": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
        "url": {"type": "string"},
        "whatsapp": {"type": "string", "description": "+62..., empty when not set"},
        "whatsapp_url": _nullable("string"),
        "regency_code": {"type": "string", "description": "Kemendagri code, e.g. 82.71"},
        "map": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["latitude", "longitude", "osm_url", "geo_uri"],
            "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"},
                           "osm_url": {"type": "string"}, "geo_uri": {"type": "string"}},
            "additionalProperties": False}]},
    },
    "additionalProperties": False,
}

REGION = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {
        "code": {"type": "string", "examples": ["82", "82.71", "82.71.06", "82.71.06.1010"]},
        "name": {"type": "string"},
        "postal_code": _nullable("string"),
    },
    "additionalProperties": False,
}
REGION_DETAIL = {
    "type": "object",
    "required": ["code", "name", "level", "parents"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "level": {"enum": ["province", "regency", "district", "village"]},
        "postal_code": _nullable("string"),
        "parents": {"type": "array", "items": {
            "type": "object", "required": ["code", "name", "level"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                           "level": {"enum": ["province", "regency", "district"]}},
            "additionalProperties": False}},
    },
    "additionalProperties": False,
}


CART_LINE = {
    "type": "object",
    "required": ["product", "name", "price", "quantity", "line_total", "facility", "problems"],
    "properties": {
        "product": {"type": "string", "description": "product slug"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "price": {"type": "integer", "description": "current price, whole rupiah"},
        "quantity": {"type": "integer", "minimum": 1},
        "line_total": {"type": "integer"},
        "stock": {"type": "integer"},
        "facility": {"type": "string"},
        "problems": {"type": "array", "items": {
            "enum": ["unavailable", "sold_out", "not_enough_stock", "price_changed"]}},
    },
    "additionalProperties": False,
}

CART = {
    "type": "object",
    "required": ["token", "facilities", "item_count", "subtotal", "can_checkout"],
    "properties": {
        "token": {"type": "string"},
        "facilities": {"type": "array", "items": {
            "type": "object",
            "required": ["facility", "name", "subtotal", "lines"],
            "properties": {
                "facility": {"type": "string"},
                "name": {"type": "string"},
                "subtotal": {"type": "integer"},
                "weight_grams": {"type": "integer"},
                "discount": {"type": "integer", "description": "promotion discount here"},
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/CartLine"}},
            },
            "additionalProperties": False,
        }},
        "item_count": {"type": "integer", "minimum": 0},
        "subtotal": {"type": "integer", "minimum": 0},
        "discount": {"type": "integer", "minimum": 0},
        "total": {"type": "integer", "minimum": 0,
                  "description": "subtotal - discount (shipping is added at checkout)"},
        "promotions": {"$ref": "#/components/schemas/CartPromotions"},
        "can_checkout": {"type": "boolean"},
    },
    "additionalProperties": False,
}

CART_PROMOTIONS = {
    "type": "object",
    "required": ["code", "code_refusal", "applied", "discount_total", "per_facility"],
    "properties": {
        "code": _nullable("string"),
        "code_refusal": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["reason", "message"],
            "properties": {"reason": {"enum": [
                "unknown", "not_started", "expired", "paused", "used_up", "minimum",
                "not_applicable", "already_used", "sign_in", "first_order", "no_shipping",
                "better_offer"]}, "message": {"type": "string"}}}]},
        "applied": {"type": "array", "items": {
            "type": "object", "required": ["promotion", "name", "discount"],
            "properties": {"promotion": {"type": "string"}, "name": {"type": "string"},
                           "discount": {"type": "integer"},
                           "funding": {"enum": ["partner", "facility"]}}}},
        "discount_total": {"type": "integer"},
        "per_facility": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
    "additionalProperties": False,
}

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

FACILITY_ORDER = {
    "type": "object",
    "required": ["number", "facility", "status", "subtotal", "shipping", "discount", "total"],
    "properties": {
        "number": {"type": "string", "pattern": "^EB-[0-9A-Z]{6}-[0-9]+$"},
        "facility": {"type": "string"},
        "status": PARCEL_STATUS,
        "delivery": {"enum": ["courier", "pickup"]},
        "subtotal": {"type": "integer"},
        "shipping": {"type": "integer"},
        "discount": {"type": "integer"},
        "total": {"type": "integer"},
        "courier": _nullable("string"),
        "tracking_number": _nullable("string"),
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
        "status": PARCEL_STATUS,
        "delivery": {"enum": ["courier", "pickup"]},
        "subtotal": {"type": "integer"},
        "shipping": {"type": "integer"},
        "discount": {"type": "integer"},
        "total": {"type": "integer"},
        "courier": _nullable("string"),
        "tracking_number": _nullable("string"),
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

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Etalase Binaan API",
        "version": "1.0.0",
        "description": "Goods made in the work programmes of the correctional facilities of "
        "North Maluku. Amounts are whole rupiah (integers). Errors are "
        '{"error": {"code", "message"}} with Indonesian messages.',
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/regions": {
            "get": {
                "summary": "The provinces (address picker, official Kemendagri codes)",
                "operationId": "listProvinces",
                "responses": {"200": {"description": "Provinces",
                                      **_json("#/components/schemas/RegionList")}},
            }
        },
        "/regions/{code}": {
            "get": {
                "summary": "One region with its parents",
                "operationId": "getRegion",
                "parameters": [REGION_CODE],
                "responses": {"200": {"description": "Region",
                                      **_json("#/components/schemas/RegionDetail")},
                              "404": ERROR_RESPONSE},
            }
        },
        "/regions/{code}/children": {
            "get": {
                "summary": "Regencies of a province, districts of a regency, villages (with "
                "postal codes) of a district",
                "operationId": "listRegionChildren",
                "parameters": [REGION_CODE],
                "responses": {"200": {"description": "Regions",
                                      **_json("#/components/schemas/RegionList")},
                              "404": ERROR_RESPONSE},
            }
        },
        "/facilities": {
            "get": {
                "summary": "Active facilities",
                "operationId": "listFacilities",
                "responses": {
                    "200": {
                        "description": "Facilities",
                        **_json("#/components/schemas/FacilityList"),
                    }
                },
            }
        },
        "/facilities/{slug}": {
            "get": {
                "summary": "One facility",
                "operationId": "getFacility",
                "parameters": [SLUG],
                "responses": {
                    "200": {"description": "Facility", **_json("#/components/schemas/Facility")},
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/products": {
            "get": {
                "summary": "Active products of active facilities",
                "operationId": "listProducts",
                "parameters": PRODUCT_FILTERS,
                "responses": {
                    "200": {"description": "Products", **_json("#/components/schemas/ProductList")},
                    "400": ERROR_RESPONSE,
                },
            }
        },
        "/carts": {
            "post": {
                "summary": "Create a cart",
                "operationId": "createCart",
                "responses": {
                    "201": {"description": "Cart", **_json("#/components/schemas/Cart")},
                    "400": {"description": "A JSON body with a NUL character or nested too "
                            "deeply (every POST)", **_json("#/components/schemas/Error")},
                },
            }
        },
        "/carts/{token}": {
            "get": {
                "summary": "A cart with current prices, grouped by facility",
                "operationId": "getCart",
                "parameters": [TOKEN],
                "responses": {
                    "200": {"description": "Cart", **_json("#/components/schemas/Cart")},
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/carts/{token}/lines/{product_slug}": {
            "put": {
                "summary": "Set a line's quantity (0 removes it)",
                "operationId": "setCartLine",
                "parameters": [TOKEN, {"name": "product_slug", "in": "path", "required": True,
                                       "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["quantity"],
                        # The line cap; more than the product's stock is a 422 (it depends on the
                    # stock, which no document can say).
                    "properties": {"quantity": {"type": "integer", "minimum": 0,
                                                "maximum": 99}},
                    "additionalProperties": False}}}},
                "responses": {
                    "200": {"description": "Cart", **_json("#/components/schemas/Cart")},
                    "400": ERROR_RESPONSE, "404": ERROR_RESPONSE, "422": ERROR_RESPONSE,
                },
            }
        },
        "/carts/{token}/promotion": {
            "post": {
                "summary": "Enter a promotion code (case-insensitive)",
                "operationId": "addPromotionCode",
                "parameters": [TOKEN],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["code"],
                    # A well-formed code that does not exist is still a 422 unknown_code.
                    "properties": {"code": _trimmed(
                        CODE_RE.pattern.strip("^$").replace("A-Z", "A-Za-z"),
                        "case-insensitive")},
                    "additionalProperties": False}}}},
                "responses": {
                    "200": {"description": "Cart; promotions.code_refusal says why a known "
                            "code does not apply", **_json("#/components/schemas/Cart")},
                    "400": ERROR_RESPONSE, "404": ERROR_RESPONSE,
                    "422": {"description": "Unknown code", **_json("#/components/schemas/Error")},
                },
            },
            "delete": {
                "summary": "Remove the promotion code",
                "operationId": "removePromotionCode",
                "parameters": [TOKEN],
                "responses": {
                    "200": {"description": "Cart", **_json("#/components/schemas/Cart")},
                    "404": ERROR_RESPONSE,
                },
            },
        },
        "/carts/{token}/checkout": {
            "post": {
                "summary": "Place the order: one facility order per facility in the cart",
                "operationId": "checkout",
                "parameters": [TOKEN],
                "requestBody": {"required": True,
                                **_json("#/components/schemas/CheckoutRequest")},
                "responses": {
                    "201": {"description": "Order placed, awaiting payment",
                            **_json("#/components/schemas/Order")},
                    "400": ERROR_RESPONSE, "404": ERROR_RESPONSE,
                    "409": {"description": "Out of stock (error.products lists the slugs) or "
                            "the cart has problems", **_json("#/components/schemas/Error")},
                    "422": ERROR_RESPONSE, "429": ERROR_RESPONSE,
                },
            }
        },
        "/orders/{number}": {
            "get": {
                "summary": "An order, with the X-Order-Token header",
                "operationId": "getOrder",
                "parameters": [
                    {"name": "number", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "X-Order-Token", "in": "header", "required": True,
                     "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "Order", **_json("#/components/schemas/Order")},
                    "404": ERROR_RESPONSE,
                },
            }
        },
        "/orders/{number}/payment": {
            "post": {
                "summary": "Start or restart the order's payment, optionally by another method",
                "description": "While the order is pending_payment: the open attempt is closed "
                "at its gateway (a bank transfer's unique code is released) and a new one is "
                "started by `payment_method` (default: the order's method; an open attempt of "
                "that method is kept). `payment` is null when the gateway could not be reached.",
                "operationId": "restartPayment",
                "parameters": [
                    {"name": "number", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "X-Order-Token", "in": "header", "required": True,
                     "schema": {"type": "string"}},
                ],
                "requestBody": {"required": False,
                                **_json("#/components/schemas/RestartPaymentRequest")},
                "responses": {
                    "200": {"description": "Order with its current payment",
                            **_json("#/components/schemas/Order")},
                    "400": ERROR_RESPONSE, "404": ERROR_RESPONSE,
                    "409": {"description": "The order no longer awaits payment (code "
                            "order_not_pending, error.current is its status)",
                            **_json("#/components/schemas/Error")},
                    "422": {"description": "invalid_payment_method",
                            **_json("#/components/schemas/Error")},
                    "429": ERROR_RESPONSE,
                },
            }
        },
        "/staff/fulfilments": {
            "get": {
                "summary": "The caller's facility's paid parcels, newest paid first",
                "operationId": "listFulfilments",
                "security": BEARER,
                "parameters": [
                    # awaiting_payment parcels never reach the desk: not a filter.
                    _query("status", {"enum": list(DESK_STATES)}, "Only parcels in this state."),
                    _query("q", {"type": "string"},
                           "Order number or customer name (the first 80 characters count)."),
                    _query("page", {"type": "integer", "minimum": 1, "maximum": 99_999},
                           "Page (20 per page)."),
                ],
                "responses": {
                    "200": {"description": "Parcels",
                            **_json("#/components/schemas/FulfilmentList")},
                    "400": ERROR_RESPONSE, "401": ERROR_RESPONSE, "403": ERROR_RESPONSE,
                },
            }
        },
        "/staff/fulfilments/{number}/transition": {
            "post": {
                "summary": "Move a parcel (allowed moves only)",
                "operationId": "moveFulfilment",
                "security": BEARER,
                "parameters": [{"name": "number", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "requestBody": {"required": True,
                                **_json("#/components/schemas/TransitionRequest")},
                "responses": {
                    "200": {"description": "Moved", **_json("#/components/schemas/Fulfilment")},
                    "400": ERROR_RESPONSE, "401": ERROR_RESPONSE, "403": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                    "409": {"description": "Not allowed now; error.allowed lists the moves",
                            **_json("#/components/schemas/Error")},
                    "422": ERROR_RESPONSE,
                },
            }
        },
        "/admin/bank-transfers/{number}/confirm": {
            "post": {
                "summary": "Kanwil: confirm an order's bank transfer (admin token)",
                "description": "The amount must equal the transfer's amount_due (total + unique "
                "code). The order becomes paid and its parcels go to the facilities. Repeating a "
                "confirmation answers 200 and pays nothing twice. A transfer arriving after the "
                "order expired takes the stock again, or is refunded by hand.",
                "operationId": "confirmBankTransfer",
                "security": BEARER,
                "parameters": [{"name": "number", "in": "path", "required": True,
                                "schema": {"type": "string"}, "description": "order number"}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["amount", "reference"],
                    "properties": {
                        "amount": {"type": "integer", "minimum": 1,
                                   "description": "whole rupiah received"},
                        "reference": {"type": "string", "minLength": 3, "maxLength": 100,
                                      "description": "the bank's reference of the credit"},
                    }}}}},
                "responses": {
                    "200": {"description": "The order, paid (the shape of GET /orders/{number})",
                            **_json("#/components/schemas/Order")},
                    "400": ERROR_RESPONSE, "401": ERROR_RESPONSE, "403": ERROR_RESPONSE,
                    "404": ERROR_RESPONSE,
                    "409": {"description": "amount_mismatch (error.expected, error.received, "
                            "error.difference) or no_open_transfer",
                            **_json("#/components/schemas/Error")},
                    "422": ERROR_RESPONSE,
                },
            }
        },
        "/impact": {
            "get": {
                "summary": "Public impact of a year's sales per facility (aggregates only)",
                "operationId": "getImpact",
                "parameters": [_query("year", {"type": "integer", "minimum": 2000,
                                               "maximum": 2100},
                                      "WIT year; default this year")],
                "responses": {
                    "200": {"description": "Impact", **_json("#/components/schemas/Impact")},
                    "400": ERROR_RESPONSE,
                },
            }
        },
        "/products/{slug}": {
            "get": {
                "summary": "One product",
                "operationId": "getProduct",
                "parameters": [SLUG],
                "responses": {
                    "200": {"description": "Product", **_json("#/components/schemas/Product")},
                    "404": ERROR_RESPONSE,
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "staff or admin API token"}},
        "schemas": {
            "Cart": CART,
            "CartLine": CART_LINE,
            "CartPromotions": CART_PROMOTIONS,
            "CheckoutRequest": CHECKOUT_REQUEST,
            "RestartPaymentRequest": RESTART_PAYMENT_REQUEST,
            "TransitionRequest": TRANSITION_REQUEST,
            "PaymentCard": PAYMENT_CARD,
            "PaymentBankTransfer": PAYMENT_BANK_TRANSFER,
            "PaymentMidtrans": PAYMENT_MIDTRANS,
            "PaymentAtPickup": PAYMENT_PICKUP,
            "Order": ORDER,
            "FacilityOrder": FACILITY_ORDER,
            "OrderLine": ORDER_LINE,
            "Payment": PAYMENT,
            "Fulfilment": FULFILMENT,
            "FulfilmentList": _list_of("#/components/schemas/Fulfilment"),
            "Error": ERROR,
            "Image": IMAGE,
            "Product": PRODUCT,
            "ProductList": _list_of("#/components/schemas/Product"),
            "Facility": FACILITY,
            "FacilityList": _list_of("#/components/schemas/Facility"),
            "Impact": IMPACT,
            "Region": REGION,
            "RegionDetail": REGION_DETAIL,
            "RegionList": _list_of("#/components/schemas/Region"),
        }
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
