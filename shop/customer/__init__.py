"""The customer's own account pages: profile, addresses, order history."""


def init_app(app):
    pass
