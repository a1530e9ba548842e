from flask import Blueprint

bp = Blueprint("promo", __name__, url_prefix="/promo")
