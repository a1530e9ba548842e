"""Unguessable tokens and order numbers."""

import hashlib
import hmac
import secrets

# Crockford-like alphabet without 0/O, 1/I/L: easy to read out over the phone.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, token_hash: str) -> bool:
    return bool(token) and hmac.compare_digest(hash_token(token), token_hash)


def new_order_number() -> str:
    """Like EB-7K3M9Q: random (30^6 = 729 million), never sequential."""
    return "EB-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
