"""Every setting of mingshi, read from the environment in one place.

The README's "Configuration" table lists them with their defaults; :data:`SETTINGS` is that table
as data (``tests/core/test_config.py`` checks that the README and this module agree). ``mingshi -e
FILE`` loads a ``.env``-style file into the environment first (python-dotenv). A value that cannot
be read is a :class:`ConfigError` naming the variable and what it accepts.

The database follows one rule for every command (``db upgrade``, ``demo``, ``serve``, backups) and
for the web application: ``DATABASE_URL`` if it is set, else the SQLite file ``mingshi.db`` in the
instance folder (``MINGSHI_INSTANCE``, default ``instance/`` of the current folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

#: how to make a secret key, for the message that asks for one
SECRET_KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class ConfigError(RuntimeError):
    """A setting that is missing or cannot be read; the message is one line for the person deploying."""


@dataclass(frozen=True)
class Setting:
    variable: str
    default: str
    meaning: str


#: the settings, their defaults (as the README shows them) and what they mean
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "`sqlite:///<instance>/mingshi.db`",
        "the database (`postgresql+psycopg://user:password@host/dbname` for PostgreSQL)",
    ),
    Setting("MINGSHI_INSTANCE", "`./instance`", "folder of the SQLite file and of the demo's secret key"),
    Setting(
        "MINGSHI_SECRET_KEY",
        "none: required",
        f"signs sessions and CSRF tokens; `mingshi serve` refuses to start without it (make one: `{SECRET_KEY_HINT}`); "
        "`mingshi demo`, `mingshi serve --dev` and the tests keep one in the instance folder",
    ),
    Setting(
        "MINGSHI_APP_ROLE",
        "`<dbname>_app`",
        "PostgreSQL: the role the application connects as; `mingshi db upgrade` creates it (NOLOGIN) and grants it",
    ),
    Setting(
        "MINGSHI_ALLOW_PRIVILEGED_DATABASE",
        "`0`",
        "`1` lets the application serve as a superuser, the tables' owner or a BYPASSRLS role (throw-away demos only)",
    ),
    Setting(
        "MINGSHI_TRUSTED_PROXIES",
        "`0`",
        "how many reverse proxies in front set `X-Forwarded-For`/`-Proto`/`-Host` (ProxyFix); 1 behind one nginx",
    ),
    Setting("MINGSHI_SECURE_COOKIES", "`0`", "`1`: Secure session cookie and HSTS (serve over HTTPS)"),
    Setting("MINGSHI_LOG_FORMAT", "`text`", "`text` or `json`: one line per request on stderr"),
    Setting("MINGSHI_LOG_LEVEL", "`INFO`", "`DEBUG`, `INFO`, `WARNING`, `ERROR`"),
    Setting(
        "MINGSHI_JURISDICTIONS", "all installed", "comma-separated codes of the plugins to load (`shenyang,wenzhou`)"
    ),
    Setting("MINGSHI_HOST", "`127.0.0.1`", "`mingshi serve` / `mingshi demo`: the address to listen on"),
    Setting("MINGSHI_PORT", "`5000`", "`mingshi serve` / `mingshi demo`: the port"),
    Setting("MINGSHI_WORKERS", "`2`", "`mingshi serve`: gunicorn worker processes"),
    Setting("MINGSHI_THREADS", "`4`", "`mingshi serve`: threads per worker"),
    Setting("MINGSHI_DEBUG", "`0`", "`1`: a command's unexpected error shows its traceback"),
    Setting(
        "MINGSHI_STORAGE_URL",
        "`<instance>/files`",
        "where evidence files are kept: a folder outside the web root (`file:///srv/mingshi/files` or a path) "
        "or an S3-compatible store (`s3://bucket/prefix?endpoint_url=http://host:9000`, extra `s3`, AWS credential "
        "variables)",
    ),
    Setting("MINGSHI_UPLOAD_MAX_MB", "`10`", "the largest evidence file accepted, in MB"),
    Setting(
        "MINGSHI_RESULT_CACHE",
        "`1024`",
        "results of the rules kept per process under the revision of their facts (a studio's checks and "
        "progress, core/cache.py); `0`: computed on every view",
    ),
    Setting(
        "MINGSHI_SMTP_URL",
        "none: no e-mail",
        "reminders are also e-mailed (by the worker, never in a request) through this server: "
        "`smtp://user:password@host:587?starttls=1`, `smtps://host:465`, `smtp://127.0.0.1:25`",
    ),
    Setting("MINGSHI_MAIL_FROM", "`mingshi@localhost`", "the sender of the reminder e-mails"),
    Setting(
        "MINGSHI_BASE_URL",
        "`http://<host>:<port>`",
        "the address users open the application at, for the links in e-mails (`https://mingshi.example.gov.cn`)",
    ),
)

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Config:
    """The settings in force (see :data:`SETTINGS`)."""

    database_url: str
    instance_path: Path
    secret_key: str | None
    app_role: str | None
    allow_privileged_database: bool
    trusted_proxies: int
    secure_cookies: bool
    log_format: str
    log_level: str
    jurisdictions: tuple[str, ...] | None
    host: str
    port: int
    workers: int
    threads: int
    debug: bool
    storage_url: str
    upload_max_mb: int
    result_cache: int = 1024
    #: where reminder e-mails are sent (None: reminders stay in the application)
    smtp: SmtpSettings | None = None
    mail_from: str = "mingshi@localhost"
    base_url: str = "http://127.0.0.1:5000"

    @property
    def is_postgres(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "postgresql"


def load(environ: Mapping[str, str] | None = None) -> Config:
    """The configuration from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    instance = Path(_text(env, "MINGSHI_INSTANCE") or Path.cwd() / "instance").absolute()
    url = _text(env, "DATABASE_URL") or f"sqlite:///{instance / 'mingshi.db'}"
    try:
        parsed = make_url(url)
    except Exception:
        raise ConfigError(
            "DATABASE_URL is not a database URL (e.g. postgresql+psycopg://user:password@host/dbname)"
        ) from None
    role = app_role_for(url, env) if parsed.get_backend_name() == "postgresql" else None
    codes = tuple(c.strip() for c in (_text(env, "MINGSHI_JURISDICTIONS") or "").split(",") if c.strip())
    log_format = (_text(env, "MINGSHI_LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"MINGSHI_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    log_level = (_text(env, "MINGSHI_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"MINGSHI_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    return Config(
        database_url=url,
        instance_path=instance,
        secret_key=_text(env, "MINGSHI_SECRET_KEY"),
        app_role=role,
        allow_privileged_database=_flag(env, "MINGSHI_ALLOW_PRIVILEGED_DATABASE"),
        trusted_proxies=_int(env, "MINGSHI_TRUSTED_PROXIES", 0, low=0, high=10),
        secure_cookies=_flag(env, "MINGSHI_SECURE_COOKIES"),
        log_format=log_format,
        log_level=log_level,
        jurisdictions=codes or None,
        host=_text(env, "MINGSHI_HOST") or "127.0.0.1",
        port=_int(env, "MINGSHI_PORT", 5000, low=1, high=65535),
        workers=_int(env, "MINGSHI_WORKERS", 2, low=1, high=64),
        threads=_int(env, "MINGSHI_THREADS", 4, low=1, high=256),
        debug=_flag(env, "MINGSHI_DEBUG"),
        storage_url=_text(env, "MINGSHI_STORAGE_URL") or str(instance / "files"),
        upload_max_mb=_int(env, "MINGSHI_UPLOAD_MAX_MB", 10, low=1, high=200),
        result_cache=_int(env, "MINGSHI_RESULT_CACHE", 1024, low=0, high=1_000_000),
        smtp=smtp_settings(_text(env, "MINGSHI_SMTP_URL")),
        mail_from=_mail_from(env),
        base_url=_base_url(env),
    )


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server reminders are sent through (``MINGSHI_SMTP_URL``)."""

    host: str
    port: int
    #: ``smtps``: TLS from the first byte; ``starttls``: upgrade a plain connection
    tls: bool = False
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:  # the password is never logged
        return f"SmtpSettings({self.host}:{self.port}, tls={self.tls}, starttls={self.starttls}, user={self.user!r})"


def smtp_settings(url: str | None) -> SmtpSettings | None:
    """``smtp://[user[:password]@]host[:port][?starttls=1&timeout=30]`` or ``smtps://…`` (None: unset)."""
    if not url:
        return None
    from urllib.parse import parse_qs, unquote, urlsplit

    hint = "MINGSHI_SMTP_URL must look like smtp://user:password@host:587?starttls=1 or smtps://host:465"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(hint) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(hint)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise ConfigError(f"{hint}; unknown option {sorted(unknown)[0]!r}")
    starttls = _flag(query, "starttls") if "starttls" in query else False
    timeout = _int(query, "timeout", 30, low=1, high=600) if "timeout" in query else 30
    tls = parts.scheme == "smtps"
    if tls and starttls:
        raise ConfigError("MINGSHI_SMTP_URL: smtps is TLS already; starttls=1 is for smtp://")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        tls=tls,
        starttls=starttls,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=float(timeout),
    )


_ADDRESS = re.compile(
    r"^[^@\s\x00-\x1f\x7f<>(),;:\\\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)


def is_email_address(value: str) -> bool:
    """A plain ``name@domain`` address (no display name, no comments), at most 254 characters."""
    return len(value) <= 254 and bool(_ADDRESS.match(value))


def _mail_from(env: Mapping[str, str]) -> str:
    value = _text(env, "MINGSHI_MAIL_FROM") or "mingshi@localhost"
    if not is_email_address(value):
        raise ConfigError(f"MINGSHI_MAIL_FROM must be an e-mail address (name@domain), not {value!r}")
    return value


def _base_url(env: Mapping[str, str]) -> str:
    value = _text(env, "MINGSHI_BASE_URL")
    if value is None:
        host = _text(env, "MINGSHI_HOST") or "127.0.0.1"
        return f"http://{host}:{_int(env, 'MINGSHI_PORT', 5000, low=1, high=65535)}"
    if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", value):
        raise ConfigError(
            f"MINGSHI_BASE_URL must be an http(s) address (https://mingshi.example.gov.cn), not {value!r}"
        )
    return value.rstrip("/")


def default_app_role(database: str) -> str:
    """``<dbname>_app``: two deployments on one server do not share a role."""
    name = re.sub(r"[^a-z0-9_]", "_", database.lower()) or "mingshi"
    return f"{name[:59]}_app"


def app_role_for(url: str, environ: Mapping[str, str] | None = None) -> str:
    """The application role of the database at ``url``: ``MINGSHI_APP_ROLE``, else ``<dbname>_app``."""
    env = os.environ if environ is None else environ
    role = _text(env, "MINGSHI_APP_ROLE") or default_app_role(make_url(url).database or "")
    if not _ROLE_NAME.match(role):
        raise ConfigError(
            f"MINGSHI_APP_ROLE {role!r} is not a role name mingshi accepts (lower-case letters, digits and _, "
            "at most 63, not starting with a digit); set MINGSHI_APP_ROLE"
        )
    return role


def require_secret_key(config: Config) -> str:
    if not config.secret_key:
        raise ConfigError(
            f"MINGSHI_SECRET_KEY is not set: the application signs its sessions with it. Make one with "
            f"{SECRET_KEY_HINT} and set it in the environment (or in the file given to mingshi -e)"
        )
    return config.secret_key


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value and value.strip() else None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (_text(env, name) or "0").lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be 1 or 0, not {value!r}")


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    value = _text(env, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {number}")
    return number
