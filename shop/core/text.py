"""Text helpers shared by search and storage."""

import re
import unicodedata


def search_key(text: str) -> str:
    """Normalised, case-folded text used both when storing and when searching.

    Doing the folding in Python (not with SQL lower()) makes search behave the same for any
    Unicode text on SQLite and PostgreSQL.
    """
    return unicodedata.normalize("NFKC", text or "").casefold()


_NOT_WORD = re.compile(r"[\W_]+")


def fold_words(*texts) -> str:
    """Search words of `texts`: compatibility-normalised, accents removed, case-folded, split on
    anything that is not a letter or digit, joined by single spaces.

    Both the stored search documents and the typed queries go through this, so the database's
    own tokenizer (SQLite FTS5, PostgreSQL `simple`) only ever sees plain words: search behaves
    the same on both.
    """
    text = unicodedata.normalize("NFKD", " ".join(t for t in texts if t))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = unicodedata.normalize("NFKC", text)
    return " ".join(w for w in _NOT_WORD.split(text) if w)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours),
    returning `limit` as soon as it is certain to be at least that."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


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
