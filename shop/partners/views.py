from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")
