"""The API against its own OpenAPI document, by schemathesis: generated requests (valid and
invalid) for every operation, with a staff token, on a small catalogue. Every check counts:
no 5xx, answers that match their schemas and status codes, schema-valid requests accepted,
schema-invalid ones refused. A bounded number of examples, drawn deterministically, keeps it
under a minute and the same on every run.

What no document can say, and so this cannot check: whether a cart, order or parcel named in
the path exists (drawn identifiers are unknown: 404), the stock behind a quantity, whether a
well-formed promotion code exists, which moves a parcel's state allows, which payment methods
are enabled. The document states everything else the server checks."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from shop.api.openapi import DOCUMENT
from shop.extensions import db

EXAMPLES = 25

schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = None  # set per test: the calls go to the test app in process (WSGI)
_token = {}
STAFF = "Bearer {staff token}"  # put in while cases are drawn (some at collection), then swapped


@schema.auth(refresh_interval=None)
class StaffToken:
    """The Bearer token of the test's staff member, given to operations that declare security;
    schemathesis leaves it out of the cases that test a missing Authorization header."""

    def get(self, case, context):
        return STAFF

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": data}


@pytest.fixture
def api_world(app, gen_facility, gen_category, gen_product, gen_rates, facility_a, staff_a):
    from shop.accounts.tokens import issue_api_token

    food = gen_category("Makanan", slug="makanan")
    for n in range(3):
        gen_product(facility=facility_a, category=food, slug=f"produk-{n}", name=f"Produk {n}",
                    price=25_000 + n, stock=10)
    _token["value"] = issue_api_token(staff_a, "schemathesis")
    db.session.commit()
    yield
    _token.clear()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case, app, api_world):
    case.operation.schema.app = app
    if case.headers and case.headers.get("Authorization") == STAFF:
        case.headers["Authorization"] = f"Bearer {_token['value']}"
    case.call_and_validate(app=app)
