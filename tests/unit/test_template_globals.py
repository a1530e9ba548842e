"""Templates keep their globals as one plain dict made when they load (shop.core.templating.
FlatGlobalsEnvironment): that is only right while nothing adds a global after the app is made."""

from shop.core.templating import FlatGlobalsEnvironment
from tests.factories import login


def test_the_app_uses_flat_template_globals(app):
    assert isinstance(app.jinja_env, FlatGlobalsEnvironment)
    template = app.jinja_env.get_template("base.html")
    assert type(template.globals) is dict
    assert set(app.jinja_env.globals) <= set(template.globals)


def test_no_page_adds_a_template_global(app, client, gen_product, admin, staff_a):
    globals_before = dict(app.jinja_env.globals)
    product = gen_product(name="Sambal Roa", slug="sambal-roa")
    for url in ["/", "/products", "/products/sambal-roa", f"/facilities/{product.facility.slug}",
                "/cart", "/account/login", "/faq", "/promo", "/no-such-page"]:
        client.get(url)
    for user, urls in ((admin, ["/admin/", "/admin/manage/products", "/account"]),
                       (staff_a, ["/staff/", "/staff/products/"])):
        login(client, user.email)
        for url in urls:
            assert client.get(url).status_code == 200, url
        client.post("/account/logout")
    assert app.jinja_env.globals == globals_before
    for template in app.jinja_env.cache.values():
        assert set(app.jinja_env.globals) <= set(template.globals), template.name
