"""The OpenAPI 3.1 document of /api/v1. Tests validate it and match responses against it."""

from flask import jsonify

from shop.core.api import bp


def _nullable(type_):
    return {"type": [type_, "null"]}


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

CHECKOUT_REQUEST = {
    "type": "object",
    "required": ["contact", "address", "delivery"],
    "properties": {
        "contact": {
            "type": "object",
            "required": ["name", "email", "phone"],
            "properties": {
                "name": {"type": "string", "maxLength": 120},
                "email": {"type": "string", "format": "email"},
                "phone": {"type": "string", "description": "+62... or 08..., stored as +62"},
            },
        },
        "address": {
            "type": "object",
            "required": ["street", "kelurahan", "kecamatan", "city", "province", "postal_code"],
            "properties": {
                "street": {"type": "string"},
                "rt_rw": {"type": "string", "examples": ["003/005"]},
                "kelurahan": {"type": "string"},
                "kecamatan": {"type": "string"},
                "city": {"type": "string", "description": "kabupaten/kota"},
                "province": {"type": "string", "description": "one of the 38 provinces"},
                "postal_code": {"type": "string", "pattern": "^[0-9]{5}$"},
            },
        },
        "delivery": {
            "type": "object",
            "description": "one entry per facility slug in the cart",
            "additionalProperties": {"enum": ["courier", "pickup"]},
        },
        "note": {"type": "string", "maxLength": 1000},
        "payment_method": {
            "enum": ["bank_transfer", "midtrans", "card", "pay_at_pickup"],
            "description": "one of the enabled methods (PAYMENT_METHODS); default the first "
            "enabled one; pay_at_pickup only when every parcel is pickup (else 422 "
            "invalid_payment_method)"},
    },
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


def _query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _json(ref):
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}


ERROR_RESPONSE = {"description": "Error", **_json("#/components/schemas/Error")}

PRODUCT_FILTERS = [
    _query("q", {"type": "string", "maxLength": 100}, "Search in name and description (literal)."),
    _query("facility", {"type": "string"}, "Facility slug."),
    _query("category", {"type": "string"}, "Category slug; includes sub-categories."),
    _query("flagship", {"type": "boolean"}, "Only flagship products (1/0, true/false)."),
    _query("min_price", {"type": "integer", "minimum": 0}, "Minimum price in rupiah."),
    _query("max_price", {"type": "integer", "minimum": 0}, "Maximum price in rupiah."),
    _query("in_stock", {"type": "boolean"}, "Only products with stock."),
    _query("sort", {"enum": ["relevance", "newest", "price_asc", "price_desc", "name"]},
           "Order (default: relevance with `q`, else newest)."),
    _query("page", {"type": "integer", "minimum": 1}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page."),
]

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
                "responses": {"201": {"description": "Cart", **_json("#/components/schemas/Cart")}},
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
                    "properties": {"quantity": {"type": "integer", "minimum": 0,
                                                "maximum": 99}}}}}},
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
                    "properties": {"code": {"type": "string"}}}}}},
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
                "requestBody": {"required": False, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"payment_method": {
                        "enum": ["bank_transfer", "midtrans", "card", "pay_at_pickup"],
                        "description": "one of the enabled methods (PAYMENT_METHODS); "
                        "pay_at_pickup only when every parcel is picked up"}}}}}},
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
                    _query("status", PARCEL_STATUS, "Only parcels in this state."),
                    _query("q", {"type": "string"}, "Order number or customer name."),
                    _query("page", {"type": "integer", "minimum": 1}, "Page (20 per page)."),
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
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["to"],
                    "properties": {
                        "to": PARCEL_STATUS,
                        "courier": {"enum": ["jne", "jnt", "pos", "tiki", "sicepat", "other"]},
                        "courier_name": {"type": "string"},
                        "tracking_number": {"type": "string"},
                        "reason": {"type": "string"},
                        "payment": {
                            "type": "object", "required": ["method", "amount"],
                            "description": "required to move a pay_at_pickup parcel to "
                            "picked_up: what the customer paid at the counter for THIS parcel "
                            "(422 payment_required / amount_invalid / reference_required; "
                            "409 amount_mismatch with amount_due, received, difference)",
                            "properties": {
                                "method": {"enum": ["cash", "qris"]},
                                "amount": {"type": "integer",
                                           "description": "rupiah; must equal the parcel total"},
                                "reference": {"type": "string", "maxLength": 100,
                                              "description": "required for qris"},
                            }},
                    }}}}},
                "responses": {
                    "200": {"description": "Moved", **_json("#/components/schemas/Fulfilment")},
                    "400": ERROR_RESPONSE, "401": ERROR_RESPONSE, "404": ERROR_RESPONSE,
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
        }
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
