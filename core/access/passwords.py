"""Password hashing (argon2id) and secret hashing for API tokens.

Verification is CPU-heavy (tens of milliseconds, 64 MiB): the async callers run it in a worker thread
(:func:`verify_password_async`), at most one per core at a time, so sign-ins never stall the event
loop. ``ZHIBU_PASSWORD_HASHING=fast-insecure`` swaps in cheap parameters for the test suite only.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import ValidationFailed

_FAST_INSECURE = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}  # tests only


@lru_cache(maxsize=2)
def _hasher_for(profile: str) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**_FAST_INSECURE) if profile == "fast-insecure" else PasswordHasher()
    # verified against when the user does not exist, so both paths cost one verification
    return hasher, hasher.hash("zhibu-dummy-password")


def _hasher() -> tuple[PasswordHasher, str]:
    from core.settings import get_settings

    return _hasher_for(get_settings().password_hashing)


_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def _verify_slots() -> asyncio.Semaphore:
    """One slot per core for hashing, per event loop."""
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        for stale in [other for other in _slots if other.is_closed()]:
            del _slots[stale]
        _slots[loop] = asyncio.Semaphore(max(1, os.cpu_count() or 1))
    return _slots[loop]


MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refuses passwords that are too short)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"密码长度不能少于{MIN_PASSWORD_LENGTH}位", field="password")
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; ``None`` still costs a verification."""
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """:func:`verify_password` in a worker thread (argon2 releases the GIL), one per core at a time."""
    async with _verify_slots():
        return await asyncio.to_thread(verify_password, password_hash, password)


async def hash_password_async(password: str) -> str:
    """:func:`hash_password` in a worker thread."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return hash_password(password)  # raises the typed error
    async with _verify_slots():
        return await asyncio.to_thread(hash_password, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


def new_secret() -> str:
    """A random URL-safe secret for API tokens."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str, key: str | None = None) -> str:
    """API-token secrets are random and long: a SHA-256 keyed with the signing key (current by
    default) is enough, and fast per request."""
    from core.settings import get_settings

    key = key if key is not None else get_settings().signing_keys()[0]
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()


def secret_hash_matches(stored: str, secret: str) -> tuple[bool, bool]:
    """(matches, stored hash uses an older key): during a key rotation the previous key still
    verifies, and the caller should re-store the hash under the current key."""
    from core.settings import get_settings

    for position, key in enumerate(get_settings().signing_keys()):
        if secrets_equal(stored, hash_secret(secret, key)):
            return True, position > 0
    return False, False


def secrets_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
