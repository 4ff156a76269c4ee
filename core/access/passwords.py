"""Password hashing (argon2id) and secret hashing for API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import ValidationFailed

_hasher = PasswordHasher()
#: verified against when the user does not exist, so both paths cost one argon2 verification
_DUMMY_HASH = _hasher.hash("zhibu-dummy-password")

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refuses passwords that are too short)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"密码长度不能少于{MIN_PASSWORD_LENGTH}位", field="password")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; ``None`` still costs a verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_secret() -> str:
    """A random URL-safe secret for API tokens."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """API-token secrets are random and long: a keyed SHA-256 is enough (and fast per request)."""
    from core.settings import get_settings

    key = get_settings().secret_key.encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def secrets_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
