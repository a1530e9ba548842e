"""The public impact page (/dampak) and GET /api/v1/impact: per facility and year, what the
sales produced for the inmates' premi, the state (PNBP) and the workshops' capital. Aggregates
only: never a person, never an order."""


def init_app(app):
    from shop.impact import api, views  # noqa: F401 - api attaches to the /api/v1 blueprint

    app.register_blueprint(views.bp)
