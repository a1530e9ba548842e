"""Labels defined at import time (`_l`, shop.core.i18n.lazy_gettext) are translated when shown,
in the language of that moment: the visitor's, or the one a mail is forced into."""

from flask_babel import force_locale

from shop.catalog.models import UNITS
from shop.core.i18n import current_locale, lazy_gettext
from shop.core.labels import ORDER_STATUS_LABELS


def test_a_label_follows_the_visitor_and_a_forced_language(app):
    # (each request in its own application context, as when served: `g` belongs to it)
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert current_locale() == "en"
        assert str(UNITS["jar"]) == "jar"
        english = str(ORDER_STATUS_LABELS["paid"])
        with force_locale("id"):
            assert current_locale() == "id"
            assert str(UNITS["jar"]) == "toples"
            indonesian = str(ORDER_STATUS_LABELS["paid"])
        assert current_locale() == "en" and str(UNITS["jar"]) == "jar"
    assert english != indonesian
    with app.app_context(), app.test_request_context("/"):
        assert current_locale() == "id" and str(UNITS["jar"]) == "toples"


def test_variables_and_no_context():
    label = lazy_gettext("Tinggal %(n)s", n=3)
    assert str(label) == "Tinggal 3"  # outside any application: the message itself
    assert current_locale() == "id"


def test_an_english_page_shows_english_sort_labels(client):
    client.set_cookie("lang", "en")
    html = client.get("/products").get_data(as_text=True)
    assert ">Newest<" in html or "Newest</option>" in html
    assert "Terbaru" not in html
