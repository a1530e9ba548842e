"""What spans every area of the API: the OpenAPI document at /api/v1/openapi.json."""


def init_app(app):
    from shop.api import openapi  # noqa: F401 - attaches its route to the API blueprint
