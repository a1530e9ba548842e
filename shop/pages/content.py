"""The shop pages every online seller needs (PP 80/2019: who sells, on which terms; UU PDP:
what is kept and why): their slugs, addresses and shipped default texts."""

from dataclasses import dataclass
from pathlib import Path

from shop.core.i18n import lazy_gettext as _l

DEFAULTS = Path(__file__).resolve().parent / "defaults"


@dataclass(frozen=True)
class PageKind:
    slug: str
    path: str
    title: object  # lazy string: the default title in the visitor's language
    footer: object

    def default_body(self) -> str:
        return (DEFAULTS / f"{self.slug}.md").read_text(encoding="utf-8")


PAGES = {page.slug: page for page in (
    PageKind("tentang", "/tentang", _l("Tentang Etalase Binaan"), _l("Tentang kami")),
    PageKind("syarat", "/syarat-penjualan", _l("Syarat dan ketentuan penjualan"),
             _l("Syarat penjualan")),
    PageKind("privasi", "/kebijakan-privasi", _l("Kebijakan privasi"), _l("Kebijakan privasi")),
    PageKind("pengembalian", "/pengembalian", _l("Pengembalian dan keluhan"),
             _l("Pengembalian & keluhan")),
    PageKind("kontak", "/kontak", _l("Kontak"), _l("Kontak")),
    PageKind("faq", "/faq", _l("Pertanyaan yang sering diajukan"), _l("Tanya jawab (FAQ)")),
)}
