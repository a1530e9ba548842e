"""Where the shop may send a browser back to."""

from urllib.parse import urlsplit


def safe_next(target, default: str = "/") -> str:
    """Only same-site relative paths: never an open redirect (`//x`, `/\\x`, `/\\tx`...)."""
    if not target or not isinstance(target, str):
        return default
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
