"""Markdown the Kanwil writes → safe HTML: markdown-it (CommonMark, raw HTML off) then nh3
(Ammonia) with a short allow-list, so no script, style, iframe or event handler survives even
if a future setting turned raw HTML on."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table")
TAGS = {"h2", "h3", "h4", "p", "br", "hr", "strong", "em", "a", "ul", "ol", "li", "blockquote",
        "code", "pre", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel", "geo"}


def render(text: str) -> Markup:
    """Headings start at h2 (the page title is the h1): '# x' becomes an h2."""
    html = _md.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer")
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
