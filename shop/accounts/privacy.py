"""UU PDP: a customer downloads their data and can delete their account. Placeholder."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/account/privacy")
