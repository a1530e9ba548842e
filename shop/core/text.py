"""Text helpers shared by search and storage."""

import unicodedata


def search_key(text: str) -> str:
    """Normalised, case-folded text used both when storing and when searching.

    Doing the folding in Python (not with SQL lower()) makes search behave the same for any
    Unicode text on SQLite and PostgreSQL.
    """
    return unicodedata.normalize("NFKC", text or "").casefold()


def escape_like(text: str, escape: str = "\\") -> str:
    """Escape LIKE wildcards so that % and _ in a query are literal."""
    return (
        text.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")
    )
