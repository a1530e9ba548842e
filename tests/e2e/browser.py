"""What every browser test shares: the viewports, and axe-core (the npm package's axe.min.js,
injected into the page) with the impacts that fail a test."""

import os

from playwright.sync_api import expect

AXE_JS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    "node_modules", "axe-core", "axe.min.js",
)
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def pick_region(form, province="Maluku Utara", regency="Kota Ternate",
                district="Kota Ternate Tengah", village="Kalumpang"):
    """The checkout's address picker with JavaScript: each choice fills the next list (Playwright
    waits for the option to arrive)."""
    for label, value in (("Provinsi", province), ("Kabupaten/kota", regency),
                         ("Kecamatan", district), ("Kelurahan/desa", village)):
        form.get_by_label(label, exact=True).select_option(label=value)


def sign_in(page, live_server, email, password, lands_on=None, next_path=None):
    """The sign-in form as a person fills it; with `lands_on`, waits for that page."""
    page.goto(f"{live_server}/account/login" + (f"?next={next_path}" if next_path else ""))
    form = page.locator("form.form-card")
    form.get_by_label("Surel").fill(email)
    form.get_by_label("Kata sandi").fill(password)
    if lands_on is None:
        with page.expect_navigation():
            form.get_by_role("button", name="Masuk").click()
        return
    form.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server}{lands_on}")
