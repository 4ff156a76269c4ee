"""Process settings, read from the environment: one declarative table, documented in docs/settings.md.

Every setting is a :class:`Spec` in :data:`SPECS` (environment variable, default, meaning); the
:class:`Settings` object holds the parsed values. ``tests/test_settings.py`` fails when a ``ZHIBU_*``
variable used anywhere in the code is missing here or in docs/settings.md.

Two modes, never mixed: with ``ZHIBU_DEBUG`` on (``zhibu demo`` and the tests) the development
conveniences exist (the public development signing key, GraphiQL, introspection and suggestions
for anyone); ``zhibu serve`` is production and refuses to start with any unsafe setting
(:meth:`Settings.production_problems`) instead of falling back to it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The key development mode signs tokens with. Public (it is in the source): never in production.
DEVELOPMENT_SECRET_KEY = "zhibu-development-secret-not-for-production-use"
MIN_SECRET_BYTES = 32


class SettingError(ValueError):
    """A setting has a value that cannot be parsed (the message names the variable)."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def _int(minimum: int, maximum: int) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise SettingError(f"{name} must be a whole number, not {raw!r}") from None
        if not minimum <= value <= maximum:
            raise SettingError(f"{name} must be between {minimum} and {maximum}, not {value}")
        return value

    return parse


def _choice(*choices: str) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise SettingError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
        return value

    return parse


def _text(name: str, raw: str) -> str:
    return raw.strip()


def _optional_text(name: str, raw: str) -> str | None:
    return raw.strip() or None


def _instant(name: str, raw: str) -> dt.datetime | None:
    if not raw.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise SettingError(f"{name} must be an ISO 8601 date and time, not {raw!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Spec:
    """One setting: its environment variable, default (as written in the environment) and meaning."""

    attribute: str
    env: str
    default: str
    meaning: str
    parse: Callable[[str, str], Any] = _text


SPECS: tuple[Spec, ...] = (
    Spec("db_url", "ZHIBU_DB_URL", "sqlite://zhibu.sqlite3",
         "Database the application uses (on PostgreSQL: a role that does not own the tables, so "
         "row-level security applies). `--db` on the command line wins."),
    Spec("migrate_db_url", "ZHIBU_MIGRATE_DB_URL", "",
         "Database URL `zhibu migrate` uses (the owner of the tables); empty: `ZHIBU_DB_URL`.",
         _optional_text),
    Spec("app_db_role", "ZHIBU_APP_DB_ROLE", "",
         "PostgreSQL role of the application: `zhibu migrate` grants it what it needs "
         "(no UPDATE/DELETE on the audit trail).", _optional_text),
    Spec("debug", "ZHIBU_DEBUG", "0",
         "Development mode (`zhibu demo`, tests): the public development key, GraphiQL, "
         "introspection and suggestions for anyone. `zhibu serve` refuses to start with it.", _bool),
    Spec("secret_key", "ZHIBU_SECRET_KEY", "",
         f"Signs tokens and keys API-token hashes; at least {MIN_SECRET_BYTES} bytes "
         "(`zhibu secret generate`). Required by `zhibu serve`.", _optional_text),
    Spec("previous_secret_key", "ZHIBU_PREVIOUS_SECRET_KEY", "",
         "The key before the last rotation: still verifies tokens and API tokens until "
         "`ZHIBU_PREVIOUS_SECRET_KEY_UNTIL`.", _optional_text),
    Spec("previous_secret_key_until", "ZHIBU_PREVIOUS_SECRET_KEY_UNTIL", "",
         "End of the rotation window (ISO 8601, e.g. `2026-12-31T00:00:00+08:00`); required with a "
         "previous key.", _instant),
    Spec("access_token_ttl", "ZHIBU_ACCESS_TOKEN_TTL", "900", "Lifetime of access tokens, seconds.",
         _int(60, 86400)),
    Spec("refresh_token_ttl", "ZHIBU_REFRESH_TOKEN_TTL", str(14 * 86400),
         "Lifetime of refresh tokens, seconds.", _int(300, 365 * 86400)),
    Spec("password_hashing", "ZHIBU_PASSWORD_HASHING", "argon2id",
         "`argon2id` (the default parameters) or `fast-insecure` (tests only: cheap parameters; "
         "`zhibu serve` refuses it).", _choice("argon2id", "fast-insecure")),
    Spec("allow_introspection", "ZHIBU_ALLOW_INTROSPECTION", "0",
         "In production, answer introspection for signed-in callers (never for anonymous ones).", _bool),
    Spec("max_body_bytes", "ZHIBU_MAX_BODY_BYTES", str(256 * 1024),
         "Largest JSON request body (413 above it).", _int(1024, 64 * 1024 * 1024)),
    Spec("max_upload_bytes", "ZHIBU_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024),
         "Largest multipart request body (file uploads; 413 above it).", _int(1024, 512 * 1024 * 1024)),
    Spec("max_document_chars", "ZHIBU_MAX_DOCUMENT_CHARS", "32768",
         "Longest GraphQL document, characters (413 above it; variables may be longer).",
         _int(1000, 64 * 1024 * 1024)),
    Spec("import_max_rows", "ZHIBU_IMPORT_MAX_ROWS", "5000",
         "Most data rows one spreadsheet import (roster, tree) may have (a larger file is refused whole).",
         _int(1, 100_000)),
    Spec("import_max_unpacked_bytes", "ZHIBU_IMPORT_MAX_UNPACKED_BYTES", str(32 * 1024 * 1024),
         "Most bytes an imported .xlsx may unpack to (its parts added up; guards against zip bombs).",
         _int(1024 * 1024, 1024 * 1024 * 1024)),
    Spec("max_tokens", "ZHIBU_MAX_TOKENS", "4000", "Most tokens a GraphQL document may have.",
         _int(100, 1_000_000)),
    Spec("max_depth", "ZHIBU_MAX_DEPTH", "12", "Deepest field nesting of a document.", _int(2, 100)),
    Spec("max_aliases", "ZHIBU_MAX_ALIASES", "30", "Most aliases in a document.", _int(1, 10_000)),
    Spec("max_directives", "ZHIBU_MAX_DIRECTIVES", "50", "Most directives in a document.",
         _int(1, 10_000)),
    Spec("max_page_size", "ZHIBU_MAX_PAGE_SIZE", "100", "Largest `first`/`last` of a connection.",
         _int(1, 1000)),
    Spec("default_page_size", "ZHIBU_DEFAULT_PAGE_SIZE", "20", "Page size without `first`/`last`.",
         _int(1, 1000)),
    Spec("login_max_failures", "ZHIBU_LOGIN_MAX_FAILURES", "10",
         "Failed sign-ins per account within the window before it is locked for the rest of it.",
         _int(1, 10_000)),
    Spec("login_max_failures_per_address", "ZHIBU_LOGIN_MAX_FAILURES_PER_ADDRESS", "50",
         "Failed sign-ins (any account) per client address within the window.", _int(1, 1_000_000)),
    Spec("login_window_seconds", "ZHIBU_LOGIN_WINDOW_SECONDS", "900",
         "The sign-in throttling window, seconds.", _int(1, 86400)),
    Spec("redis_url", "ZHIBU_REDIS_URL", "",
         "Redis for the sign-in counters (e.g. `redis://127.0.0.1:6379/0`); empty: the database.",
         _optional_text),
    Spec("job_queue", "ZHIBU_JOB_QUEUE", "inline",
         "Where background jobs (`startScoringRun`) run: `inline` (in the process that queued them, "
         "no worker needed: the demo, SQLite) or `database` (queued in the database, run by `zhibu worker`).",
         _choice("inline", "database")),
    Spec("worker_poll_seconds", "ZHIBU_WORKER_POLL_SECONDS", "2",
         "How often an idle `zhibu worker` looks for queued jobs, seconds.", _int(1, 3600)),
    Spec("job_stale_seconds", "ZHIBU_JOB_STALE_SECONDS", "600",
         "A RUNNING job whose worker showed no sign of life (claim, each rule's progress) for this long "
         "is taken again by the next worker (its worker was killed), seconds.", _int(30, 86400)),
    Spec("job_max_attempts", "ZHIBU_JOB_MAX_ATTEMPTS", "3",
         "Runs a job may start; one taken again after that many is marked FAILED "
         "(`SCORING_JOB_ABANDONED`).", _int(1, 100)),
    Spec("log_format", "ZHIBU_LOG_FORMAT", "text", "`text` or `json` (one object per line).",
         _choice("text", "json")),
    Spec("log_level", "ZHIBU_LOG_LEVEL", "info", "debug, info, warning or error.",
         _choice("debug", "info", "warning", "error")),
    Spec("forwarded_allow_ips", "ZHIBU_FORWARDED_ALLOW_IPS", "127.0.0.1",
         "Proxies whose X-Forwarded-For is trusted for the client address (comma separated).", _text),
    Spec("disable_plugin_autoload", "ZHIBU_DISABLE_PLUGIN_AUTOLOAD", "0",
         "Load no entry-point plugins (built-in ones included).", _bool),
    Spec("block_plugins", "ZHIBU_BLOCK_PLUGINS", "", "Plugins not to load (comma separated names).",
         _text),
    Spec("extra_plugins", "ZHIBU_EXTRA_PLUGINS", "",
         "Unpackaged plugin modules to load, `name=module.path,…` (a plugin under development).", _text),
    Spec("trace_hooks", "ZHIBU_TRACE_HOOKS", "0",
         "Log every plugin hook call (logger `zhibu.plugins`): hook, plugins called, duration.", _bool),
    Spec("test_db", "ZHIBU_TEST_DB", "sqlite", "Test kit: `sqlite` or `postgres`.",
         _choice("sqlite", "postgres")),
    Spec("test_pg_url", "ZHIBU_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test",
         "Test kit: PostgreSQL server (a superuser) the test databases are created on.", _text),
    Spec("test_redis_url", "ZHIBU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0",
         "Test kit: Redis for the shared sign-in counter test (skipped when unreachable).", _text),
    Spec("bench_pg_url", "ZHIBU_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/test",
         "bench/: PostgreSQL server the benchmark databases are created on.", _text),
    Spec("test_db_prefix", "ZHIBU_TEST_DB_PREFIX", "zhibu_test",
         "Test kit: name prefix of the throwaway PostgreSQL databases.", _text),
)  # fmt: skip

_BY_ENV = {spec.env: spec for spec in SPECS}


@dataclass(frozen=True)
class Settings:
    """Settings for one zhibu process (server, CLI or test run). Build with :func:`get_settings`."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def signing_keys(self, now: dt.datetime | None = None) -> list[str]:
        """Keys that verify tokens, current first. Raises ``RuntimeError`` outside development mode
        when no key is configured (``zhibu serve`` refuses to start before it comes to that)."""
        current = self.values["secret_key"]
        if current is None:
            if not self.values["debug"]:
                raise RuntimeError("ZHIBU_SECRET_KEY is not set (development mode is off)")
            current = DEVELOPMENT_SECRET_KEY
        keys = [current]
        previous, until = self.values["previous_secret_key"], self.values["previous_secret_key_until"]
        if previous and until and (now or dt.datetime.now(dt.UTC)) < until:
            keys.append(previous)
        return keys

    def production_problems(self) -> list[str]:
        """Why these settings are unsafe for ``zhibu serve`` (empty: safe)."""
        problems = []
        key = self.values["secret_key"]
        how = "generate one with `zhibu secret generate` and set ZHIBU_SECRET_KEY"
        if key is None:
            problems.append(f"ZHIBU_SECRET_KEY is not set: {how}")
        elif key == DEVELOPMENT_SECRET_KEY:
            problems.append(f"ZHIBU_SECRET_KEY is the public development key: {how}")
        elif len(key.encode()) < MIN_SECRET_BYTES:
            problems.append(f"ZHIBU_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes: {how}")
        previous = self.values["previous_secret_key"]
        if previous is not None:
            if previous == DEVELOPMENT_SECRET_KEY or len(previous.encode()) < MIN_SECRET_BYTES:
                problems.append(f"ZHIBU_PREVIOUS_SECRET_KEY must be a real key of {MIN_SECRET_BYTES}+ bytes")
            if self.values["previous_secret_key_until"] is None:
                problems.append("ZHIBU_PREVIOUS_SECRET_KEY needs ZHIBU_PREVIOUS_SECRET_KEY_UNTIL (ISO 8601)")
        if self.values["debug"]:
            problems.append("ZHIBU_DEBUG is on: development mode is for `zhibu demo`, not `zhibu serve`")
        if self.values["password_hashing"] != "argon2id":
            problems.append("ZHIBU_PASSWORD_HASHING=fast-insecure is for tests only")
        return problems


def spec(env: str) -> Spec:
    """The :class:`Spec` of environment variable ``env``."""
    return _BY_ENV[env]


_cache: tuple[tuple[Any, ...], Settings] | None = None
#: the variables' names as ``os.environ`` stores them (its ``_data``: encoded keys and values)
_ENCODED = tuple(os.environ.encodekey(s.env) for s in SPECS) if hasattr(os.environ, "encodekey") else None


def _fingerprint() -> tuple[Any, ...]:
    """The variables' current values, read straight from ``os.environ``'s own dict when it has one
    (a request reads the settings several times: ~50 lookups each, without decoding every value)."""
    data = getattr(os.environ, "_data", None)
    if _ENCODED is not None and isinstance(data, dict):
        return tuple(map(data.get, _ENCODED))
    return tuple(os.environ.get(s.env) for s in SPECS)


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """The settings as the environment has them now (:class:`SettingError` for a bad value).

    Parsed again only when one of the variables changed since the last call."""
    global _cache
    if environ is None:
        fingerprint = _fingerprint()
        if _cache is not None and _cache[0] == fingerprint:
            return _cache[1]
    source = os.environ if environ is None else environ
    raw = tuple(source.get(s.env) for s in SPECS)
    values = {
        s.attribute: s.parse(s.env, s.default if r is None else r) for s, r in zip(SPECS, raw, strict=True)
    }
    settings = Settings(values)
    if environ is None:
        _cache = (fingerprint, settings)
    return settings


def settings_table() -> str:
    """The Markdown table of every setting (docs/settings.md holds it verbatim)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SPECS:
        default = f"`{s.default}`" if s.default else "(empty)"
        lines.append(f"| `{s.env}` | {default} | {s.meaning} |")
    return "\n".join(lines) + "\n"
