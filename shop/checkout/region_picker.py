"""The checkout's address picker, server side: province → regency/city → district → village
from the official codes, one step per submit without JavaScript (static/js/regions.js fills
the next list in place where scripts run)."""

from shop.checkout.addresses import PROVINCE_SHORT, REGION_FIELDS
from shop.core import regions


def trim_choices(values: dict) -> dict:
    """Drop a chosen code that is not a child of the level above (the visitor changed the
    province after choosing a district): the lower lists start again."""
    values = dict(values)
    parent = ""
    for key in REGION_FIELDS:
        code = (values.get(key) or "").strip()
        if code and (regions.parent_of(code) != parent or regions.get(code) is None):
            code = ""
        values[key] = code
        if not code:
            for lower in REGION_FIELDS[REGION_FIELDS.index(key) + 1:]:
                values[lower] = ""
            break
        parent = code
    return values


def options(values: dict) -> dict:
    """The lists to show: {field: [Region]}; a level appears once the one above is chosen."""
    lists = {"province_code": regions.children()}
    for upper, lower in zip(REGION_FIELDS, REGION_FIELDS[1:], strict=False):
        code = values.get(upper)
        if not code:
            break
        lists[lower] = regions.children(code) or []
    return lists


def suggest_postal_code(values: dict) -> dict:
    """A chosen village fills an empty postal code with its own."""
    village = regions.get(values.get("village_code") or "", 4)
    if village and village.postal_code and not (values.get("postal_code") or "").strip():
        return {**values, "postal_code": village.postal_code}
    return values


def from_saved(saved: dict) -> dict:
    """A saved address: its codes when it has them; an old free-text one keeps its names (shown
    as they were) and the province is preselected when its name is on the list."""
    chain = regions.chain(saved.get("village_code") or "")
    if chain:
        return {**saved, **{key: region.code
                            for key, region in zip(REGION_FIELDS, chain, strict=True)}}
    names = {PROVINCE_SHORT.get(r.name, r.name): r.code for r in regions.children()}
    province_code = names.get(saved.get("province") or "")
    return {**saved, "province_code": province_code or "", "old_address": True}
