"""A migrated test database built once and cloned for every test session.

The project and Wagtail have over 200 migrations; running them takes 8–30 s per database,
and a run of scripts/test needs a database for each pytest session and each xdist worker
(on SQLite and again on PostgreSQL). Instead, the first session that needs one migrates a
*template* (a SQLite file in var/, a PostgreSQL database), named by a fingerprint of every
migration file of every installed app, and each session copies it: a file copy on SQLite,
`CREATE DATABASE … TEMPLATE …` on PostgreSQL, both well under a second. A changed
migration (or an upgraded Wagtail) changes the fingerprint, so a stale template is never
used; older templates are removed when a new one is built.

Django still runs `migrate` on the copy (keepdb), which finds nothing to apply; that is
what keeps the copy honest: a template that missed a migration would be migrated there.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = Path(settings.VAR_DIR) / "test-templates"
PREFIX = "ocop_test_template_"


def fingerprint() -> str:
    """Hash of every migration file of every installed app (names and contents)."""
    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One builder at a time (xdist workers and parallel runs start together)."""
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATES_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _migrate(database_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ocop_site.settings.test",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


def _sqlite_template() -> Path:
    path = TEMPLATES_DIR / f"sqlite-{fingerprint()}.sqlite3"
    with _locked("sqlite"):
        if not path.exists():
            building = path.with_suffix(".building")
            for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
                stale.unlink(missing_ok=True)
            _migrate(f"sqlite:///{building}")
            for old in TEMPLATES_DIR.glob("sqlite-*.sqlite3"):
                old.unlink()
            building.rename(path)  # the migrate process closed it: no WAL left beside it
    return path


def _pg_admin(settings_dict: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def _pg_url(settings_dict: dict, name: str) -> str:
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{settings_dict['USER']}{password}@{host}{port}/{name}"


def _pg_template(settings_dict: dict) -> str:
    name = PREFIX + fingerprint()
    with _locked("postgresql"), _pg_admin(settings_dict) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            building = name + "_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
            admin.execute(f'CREATE DATABASE "{building}"')
            _migrate(_pg_url(settings_dict, building))
            old = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"]
            ).fetchall()
            for (stale,) in old:
                if stale != building:
                    admin.execute(f'DROP DATABASE IF EXISTS "{stale}"')
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def clone_template(settings_dict: dict, target_name: str | None = None) -> None:
    """Make the test database (`target_name`, by default the one Django will create for
    `settings_dict`) a fresh copy of the migrated template."""
    engine = settings_dict["ENGINE"]
    target_name = target_name or _test_name(settings_dict)
    if engine.endswith("sqlite3"):
        target = Path(target_name)
        template = _sqlite_template()
        for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(template, target)
    elif engine.endswith("postgresql"):
        template_name = _pg_template(settings_dict)
        # Copies run one at a time: PostgreSQL refuses a template that another copy reads.
        with _locked("postgresql"), _pg_admin(settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target_name}" TEMPLATE "{template_name}"')
    else:
        raise RuntimeError(f"No template cloning for {engine}")


def _test_name(settings_dict: dict) -> str:
    """The name Django gives the test database (before it is created)."""
    return settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"


# Snapshots of a session's own test database, for tests that commit their data (a live
# server or worker processes read it): each such test starts from a copy of the migrated
# template or of a snapshot taken after loading the demo, instead of Django's flush and
# serialized rollback (which re-inserts every row the data migrations wrote, and which
# Playwright defeats: its event loop gives the browser tests connection objects of
# their own, that never got the serialized contents).

_opened: "weakref.WeakSet[BaseDatabaseWrapper]" = weakref.WeakSet()


def _remember(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    _opened.add(connection)


connection_created.connect(_remember)


def close_connections() -> None:
    """Close every connection this thread opened, in any context (see above): a copy is
    about to replace the database under them."""
    connections.close_all()
    for wrapper in list(_opened):
        if wrapper.connection is None:
            continue
        try:
            wrapper.validate_thread_sharing()
        except DatabaseError:
            continue  # another thread's: closed by that thread when its request ends
        wrapper.close()


def snapshot(settings_dict: dict, label: str) -> None:
    """Keep a copy of the test database as it is now, under `label`."""
    close_connections()
    name = settings_dict["NAME"]  # the test database, once set up
    if settings_dict["ENGINE"].endswith("sqlite3"):
        shutil.copyfile(name, f"{name}.{label}")
        return
    with _pg_admin(settings_dict) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}_{label}"')
        admin.execute(f'CREATE DATABASE "{name}_{label}" TEMPLATE "{name}"')


def restore(settings_dict: dict, label: str | None = None) -> None:
    """Make the test database the snapshot `label` again, or (None) the migrated template."""
    close_connections()
    name = settings_dict["NAME"]  # the test database, once set up
    if label is None:
        clone_template(settings_dict, name)
        return
    if settings_dict["ENGINE"].endswith("sqlite3"):
        copy = Path(f"{name}.restoring")
        shutil.copyfile(f"{name}.{label}", copy)
        os.replace(copy, name)  # a new file: nothing still open can write into the copy
        return
    with _pg_admin(settings_dict) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_{label}"')


def drop_snapshot(settings_dict: dict, label: str) -> None:
    name = settings_dict["NAME"]
    if settings_dict["ENGINE"].endswith("sqlite3"):
        Path(f"{name}.{label}").unlink(missing_ok=True)
        return
    with _pg_admin(settings_dict) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}_{label}"')
