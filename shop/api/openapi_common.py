"""Parts of the OpenAPI document: helpers for exact limits, and the catalogue and cart schemas.
(Split from shop/api/openapi.py so no module is a wall of data; the document is assembled
there.)"""

import re  # noqa: F401 - used by some patterns

__all__ = [
    "_nullable",
    "_WS_CHARS",
    "_WS",
    "_trimmed",
    "_NO_NUL",
    "_text",
    "_filled",
    "ERROR",
    "_list_of",
    "IMAGE",
    "PRODUCT",
    "FACILITY",
    "REGION",
    "REGION_DETAIL",
    "CART_LINE",
    "CART",
    "CART_PROMOTIONS",
]


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
