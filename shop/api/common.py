"""Shapes shared by every API route: lists and errors."""

from flask import current_app

from shop.core.errors import api_error


def list_response(items, total, page, per_page):
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def filter_error(exc):
    return api_error(400, exc.message, code="invalid_parameter", field=exc.field)


def stock_state(stock: int) -> str:
    if stock <= 0:
        return "sold_out"
    if stock <= current_app.config["LOW_STOCK_THRESHOLD"]:
        return "low"
    return "available"
