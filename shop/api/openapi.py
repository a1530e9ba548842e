"""The OpenAPI 3.1 document of /api/v1. Tests validate it and match responses against it."""

from flask import jsonify

from shop.api import bp


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
    _query("sort", {"enum": ["newest", "price_asc", "price_desc", "name"]}, "Order."),
    _query("page", {"type": "integer", "minimum": 1}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100}, "Items per page."),
]

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}

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
        "schemas": {
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
