"""Facilities API: GET /api/v1/facilities and /api/v1/facilities/<slug>."""

from flask import url_for
from flask_babel import gettext as _

from shop.catalog.flagship import active_facility_summaries, facility_summary
from shop.core.api import bp, list_response
from shop.core.cache import cached_page
from shop.core.contact_links import geo_uri, osm_url, whatsapp_chat_url
from shop.core.errors import api_error


def facility_json(summary):
    f = summary.facility
    return {
        "slug": f.slug,
        "name": f.name,
        "kind": f.kind,
        "class": f.facility_class,
        "town": f.town,
        "regency": f.regency,
        "address": f.address,
        "phone": f.phone,
        "email": f.email,
        "opening_hours": f.opening_hours,
        "profile": f.profile,
        "profile_en": f.profile_en,
        "programmes": f.programme_list(),
        "revenue_split": {
            "premi": f.premi_percent,
            "pnbp": f.pnbp_percent,
            "working_capital": f.capital_percent,
        },
        "product_count": summary.product_count,
        "flagship_count": summary.flagship_count,
        "flagship_target": {
            "year": summary.target_year,
            "target": summary.target,
            "met": summary.meets_target,
        },
        "url": url_for("facilities.facility_detail", slug=f.slug),
        "whatsapp": f.whatsapp,
        "whatsapp_url": whatsapp_chat_url(f.whatsapp),
        "regency_code": f.regency_code,
        "map": {"latitude": f.latitude, "longitude": f.longitude,
                "osm_url": osm_url(f.latitude, f.longitude),
                "geo_uri": geo_uri(f.latitude, f.longitude, f.name)} if f.has_map else None,
    }


@bp.get("/facilities")
@cached_page
def facilities():
    items = [facility_json(s) for s in active_facility_summaries()]
    return list_response(items, len(items), 1, max(len(items), 1))


@bp.get("/facilities/<slug>")
@cached_page
def facility(slug):
    summary = facility_summary(slug)
    if summary is None:
        return api_error(404, _("Lapas/Rutan tidak ditemukan."))
    return facility_json(summary)
