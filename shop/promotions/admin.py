from flask import Blueprint

bp = Blueprint("admin_promotions", __name__, url_prefix="/admin/promotions")
