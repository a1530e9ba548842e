"""The shop's own pages, robots.txt, sitemap.xml, icons, and the Kanwil's page editor."""

import re

import pytest

from tests.factories import login

PAGES = {"/tentang": "Tentang Etalase Binaan", "/syarat-penjualan": "Syarat dan ketentuan",
         "/kebijakan-privasi": "Kebijakan privasi", "/pengembalian": "Pengembalian dan keluhan",
         "/kontak": "Kontak", "/faq": "Pertanyaan yang sering diajukan"}


@pytest.mark.parametrize("path,title", PAGES.items())
def test_every_page_is_linked_from_the_footer_and_shows_real_content(client, path, title):
    home = client.get("/").get_data(as_text=True)
    footer = home[home.index('<footer'):]
    assert f'href="{path}"' in footer
    html = client.get(path).get_data(as_text=True)
    assert f"<h1 id=\"page-title\">{title}" in html
    article = html[html.index('class="prose"'):html.index("</article>")]
    assert len(re.sub(r"<[^>]+>", "", article)) > 300  # a real text, not a placeholder


def test_faq_names_the_ways_to_pay_and_the_islands(client):
    html = client.get("/faq").get_data(as_text=True)
    for words in ("Transfer bank", "QRIS", "Bayar di tempat", "Halmahera", "Ambil di tempat"):
        assert words in html


def test_privacy_policy_says_what_is_kept_how_long_and_how_to_export_or_delete(client):
    html = client.get("/kebijakan-privasi").get_data(as_text=True)
    for words in ("UU PDP", "30 hari", "90 hari", "Unduh data saya", "Hapus akun", "3 × 24 jam"):
        assert words in html


def test_contact_lists_each_active_facility_with_address_hours_map_and_whatsapp(
        client, gen_facility):
    gen_facility(name="Lapas Kelas IIB Tobelo", address="Jl. Raya Gorua, Tobelo",
                 opening_hours="Senin–Jumat 08.00–15.00 WIT", whatsapp="+6281200000107",
                 latitude=1.742, longitude=127.989)
    gen_facility(name="Lapas Tutup", is_active=False)
    html = client.get("/kontak").get_data(as_text=True)
    assert "Lapas Kelas IIB Tobelo" in html and "Lapas Tutup" not in html
    assert "Jl. Raya Gorua, Tobelo" in html and "Senin–Jumat 08.00–15.00 WIT" in html
    assert "https://www.openstreetmap.org/?mlat=1.742000&amp;mlon=127.989000" in html
    assert 'href="geo:1.742000,127.989000?q=' in html
    assert "https://wa.me/6281200000107?text=Halo%20Lapas%20Kelas%20IIB%20Tobelo" in html


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out(client, app):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: " + app.config["SHOP_BASE_URL"].rstrip("/") + "/sitemap.xml" in body
    for private in ("/admin/", "/staff/", "/account/", "/orders/", "/payments/", "/api/"):
        assert f"Disallow: {private}" in body
    assert "Disallow: /cart" not in body and "Disallow: /checkout" not in body  # nothing private


def test_sitemap_lists_what_is_public_and_nothing_else(client, gen_facility, gen_product):
    open_unit = gen_facility(slug="lapas-buka", name="Lapas Buka")
    closed_unit = gen_facility(slug="lapas-tutup", name="Lapas Tutup", is_active=False)
    gen_product(facility=open_unit, slug="sambal-roa-jual")
    gen_product(facility=open_unit, slug="draf-rahasia", status="draft")
    gen_product(facility=closed_unit, slug="produk-unit-tutup")
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    locs = re.findall(r"<loc>([^<]+)</loc>", response.get_data(as_text=True))
    paths = {re.sub(r"^https?://[^/]+", "", loc) for loc in locs}
    assert {"/products/sambal-roa-jual", "/facilities/lapas-buka", "/tentang", "/kontak",
            "/faq", "/products", "/facilities"} <= paths
    assert not {"/products/draf-rahasia", "/products/produk-unit-tutup",
                "/facilities/lapas-tutup"} & paths
    assert not [p for p in paths if p.startswith(("/admin", "/account", "/orders", "/cart",
                                                  "/checkout", "/staff", "/api"))]


def test_favicon_app_icon_and_manifest(client):
    assert client.get("/favicon.ico").status_code == 301
    assert client.get("/static/img/favicon.ico").status_code == 200
    html = client.get("/").get_data(as_text=True)
    assert 'rel="apple-touch-icon"' in html and 'rel="manifest"' in html
    manifest = client.get("/site.webmanifest").get_json()
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).mimetype == "image/png"


def test_kanwil_edits_a_page_in_markdown_and_scripts_are_removed(client, admin, db_session):
    login(client, admin.email)
    form = client.get("/admin/pages/faq").get_data(as_text=True)
    assert "Bagaimana cara membayar?" in form
    body = ("## Jam layanan baru\n\nKami buka **Sabtu**.\n\n<script>alert(1)</script>\n\n"
            "[klik](javascript:alert(2)) <img src=x onerror=alert(3)>")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    saved = client.post("/admin/pages/faq", data={"csrf_token": token, "title": "Tanya jawab",
                                                  "body": body, "action": "save"})
    assert saved.status_code == 302
    html = client.get("/faq").get_data(as_text=True)
    assert "<h2>Jam layanan baru</h2>" in html and "<strong>Sabtu</strong>" in html
    assert "<h1 id=\"page-title\">Tanya jawab" in html
    content = html[html.index('class="prose"'):html.index("</article>")]
    assert "<script" not in content, content
    assert 'href="javascript' not in content and "<img" not in content
    reset = client.post("/admin/pages/faq/reset", data={"csrf_token": token})
    assert reset.status_code == 302
    assert "Bagaimana cara membayar?" in client.get("/faq").get_data(as_text=True)


def test_page_editor_is_for_the_kanwil_only(client, gen_facility):
    assert client.get("/admin/pages/").status_code in (302, 401, 403)
    assert client.post("/admin/pages/faq", data={"title": "x", "body": "y"}).status_code in (
        302, 400, 401, 403)
