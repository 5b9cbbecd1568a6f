"""Reading configuration from environment variables, one helper per type."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_config(sqlite_path: Path) -> dict:
    """`DATABASE_URL` selects the database; without it, SQLite in WAL mode.

    WAL lets the web process read while a worker writes; IMMEDIATE transactions
    take the write lock up front so concurrent writers queue instead of failing
    with "database is locked" half-way through a transaction. A `sqlite://` URL
    gets the same settings.
    """
    url = os.environ.get("DATABASE_URL")
    config: dict = (
        dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        if url
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "background.backends.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_config(name: str) -> dict:
    """The TASKS setting for a backend named "database", "rq" or "immediate"."""
    if name not in TASK_BACKENDS:
        choices = ", ".join(TASK_BACKENDS)
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {choices}, not {name!r}.")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}
