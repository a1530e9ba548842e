"""URL slugs: lower-case ASCII words joined by hyphens, unique per table."""

from collections.abc import Callable

from slugify import slugify

MAX_SLUG_LENGTH = 80


def make_slug(text: str) -> str:
    slug = slugify(text or "", max_length=MAX_SLUG_LENGTH, word_boundary=True)
    return slug or "item"


def unique_slug(text: str, exists: Callable[[str], bool]) -> str:
    """Slug of `text`, suffixed -2, -3... until `exists` says it is free."""
    base = make_slug(text)
    candidate, n = base, 2
    while exists(candidate):
        suffix = f"-{n}"
        candidate = base[: MAX_SLUG_LENGTH - len(suffix)] + suffix
        n += 1
    return candidate
