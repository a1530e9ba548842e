# ruff: noqa: F405 - the schema names come from shop.api.openapi_orders (a star import)
"""The OpenAPI 3.1 document of /api/v1. Tests validate it and match responses against it.
Its schemas are in openapi_common.py and openapi_orders.py."""

from flask import jsonify

from shop.api.openapi_orders import *  # noqa: F403
from shop.catalog.filters import MAX_PAGE, MAX_PRICE, MAX_QUERY_LENGTH, SORTS  # noqa: F401
from shop.checkout.addresses import FIELD_LIMITS, PROVINCES  # noqa: F401
from shop.core.api import bp
from shop.orders.fulfilment import COURIERS, DESK_STATES  # noqa: F401
from shop.payments.pickup import COUNTER_METHODS, MAX_REFERENCE  # noqa: F401
from shop.promotions.codes import CODE_RE  # noqa: F401

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
