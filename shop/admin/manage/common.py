"""The management blueprint ("admin_manage", /admin/manage) and what its screens share."""

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from shop.accounts.access import role_required
from shop.admin.manage.forms import PARTNER_KIND_LABELS, ROLE_LABELS
from shop.admin.manage.queries import facilities_for_choice
from shop.catalog.forms import ActionForm
from shop.catalog.models import PRODUCT_STATUS_LABELS

bp = Blueprint("admin_manage", __name__, url_prefix="/admin/manage")


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every route here: Kanwil admins only (anonymous -> sign-in, others 403)."""


@bp.context_processor
def _labels():
    return {"product_status_labels": PRODUCT_STATUS_LABELS, "role_labels": ROLE_LABELS,
            "partner_kind_labels": PARTNER_KIND_LABELS, "action_form": ActionForm(formdata=None)}


@bp.get("/")
def index():
    return redirect(url_for("admin_manage.facilities"))


def me():
    return current_user._get_current_object()


def id_arg(name):
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def facility_choices(blank=None):
    choices = [SelectChoice("", blank)] if blank else []
    choices.extend(SelectChoice(f.id, f.name if f.is_active else _("%(name)s (nonaktif)",
                                                                  name=f.name))
                   for f in facilities_for_choice())
    return choices


def form_status(form, problem):
    return 422 if form.errors or problem else 200
