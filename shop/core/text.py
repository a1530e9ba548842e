"""Text helpers shared by search and storage."""

import re
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


def normalize_phone(raw: str) -> str | None:
    """'0812-3456-7890', '+62 812 3456 7890', '62812...' -> '+6281234567890'; None if invalid."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+62"):
        rest = digits[3:]
    elif digits.startswith("62"):
        rest = digits[2:]
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return None
    if not rest.isdigit() or not rest.startswith(tuple("123456789")) or not 8 <= len(rest) <= 12:
        return None
    return "+62" + rest


GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def email_identity(raw: str | None) -> str | None:
    """One key per mailbox, for per-customer limits: lower case, trimmed, the "+tag" dropped,
    and the dots of a Gmail address ignored (they all reach the same inbox)."""
    raw = (raw or "").strip().lower()
    if raw.count("@") != 1:
        return None
    local, domain = raw.split("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if local and domain else None
