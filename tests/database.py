"""A migrated test database built once and copied for every test session.

The project and Wagtail have over 200 migrations; running them takes 8–30 s per database,
and a run of scripts/test needs a database for each pytest session and each xdist worker
(on SQLite and again on PostgreSQL). Instead, the first session that needs one migrates a
*template* (a SQLite file in var/test-templates/, a PostgreSQL database), named by a
fingerprint of what the migrations run: every migration file of every installed app, the
project modules they import and the reference data those load. Each session copies it
(SQLite's backup API, PostgreSQL's `CREATE DATABASE … TEMPLATE …`), well under a second.
A change to any of those files changes the fingerprint, so a stale template is never
used; older templates are removed when a new one is built.

Django still runs `migrate` on the copy (keepdb), which finds nothing to apply; that is
what keeps the copy honest: a template that missed a migration would be migrated there.

PostgreSQL needs version 13 or later (`DROP DATABASE … WITH (FORCE)`).
"""

import ast
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from tests.source import PACKAGES, ROOT, absolute_imports

TEMPLATES_DIR = Path(settings.VAR_DIR) / "test-templates"
PREFIX = "ocop_test_template_"


def _project_imports(path: Path) -> set[Path]:
    """The project's own modules that a file imports (directly)."""
    found = set()
    for module, imported, _ in absolute_imports(ast.parse(path.read_text())):
        for name in [module, *(f"{module}.{name}" for name in imported)]:
            if name.split(".")[0] in PACKAGES:
                stem = ROOT / Path(*name.split("."))
                for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
                    if candidate.exists():
                        found.add(candidate)
    return found


def fingerprint() -> str:
    """Hash of every migration file, the project modules they import (transitively) and
    the project's reference data files."""
    files: dict[str, Path] = {}
    for config in apps.get_app_configs():
        for path in (Path(config.path) / "migrations").glob("*.py"):
            files[f"{config.label}/migrations/{path.name}"] = path
    todo = [path for path in files.values() if ROOT in path.parents]
    seen: set[Path] = set()
    while todo:
        for imported in _project_imports(todo.pop()) - seen:
            seen.add(imported)
            todo.append(imported)
    for path in seen | set((ROOT / "catalogue" / "data").glob("*")):
        files[str(path.relative_to(ROOT))] = path
    digest = hashlib.sha256()
    for key in sorted(files):
        digest.update(f"{key}\n".encode())
        digest.update(files[key].read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One builder at a time among this checkout's processes (xdist workers start
    together); PostgreSQL adds a server-wide lock (_pg_locked)."""
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


# SQLite: copies through SQLite's backup API, which reads a consistent state (including
# what still sits in a WAL file) and writes the target under SQLite's own locks.


def _sqlite_copy(source: Path | str, target: Path | str) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _sqlite_template() -> Path:
    path = TEMPLATES_DIR / f"sqlite-{fingerprint()}.sqlite3"
    with _locked("sqlite"):
        if not path.exists():
            building = TEMPLATES_DIR / f"building-{os.getpid()}.sqlite3"
            _migrate(f"sqlite:///{building}")
            for old in TEMPLATES_DIR.glob("sqlite-*"):  # with any -wal or -shm left
                old.unlink()
            _sqlite_copy(building, path)
            for leftover in TEMPLATES_DIR.glob(f"{building.name}*"):
                leftover.unlink()
    return path


# PostgreSQL


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
    """A DATABASE_URL for `name` on the same server (an empty host: the Unix socket)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = (
        f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict.get("PASSWORD") else ""
    )
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    host = settings_dict.get("HOST") or ""
    return f"postgresql://{user}{password}@{host}{port}/{quote(name, safe='')}"


@contextmanager
def _pg_locked(admin: psycopg.Connection) -> Iterator[None]:
    """A server-wide lock: other checkouts and CI runs use the same templates."""
    key = zlib.crc32(PREFIX.encode())
    admin.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        admin.execute("SELECT pg_advisory_unlock(%s)", [key])


def _pg_template(settings_dict: dict) -> str:
    name = PREFIX + fingerprint()
    with _pg_admin(settings_dict) as admin, _pg_locked(admin):
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            building = f"ocop_test_building_{os.getpid()}"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
            admin.execute(f'CREATE DATABASE "{building}"')
            _migrate(_pg_url(settings_dict, building))
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            old = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [PREFIX.replace("_", r"\_") + "%", name],
            ).fetchall()
            for (stale,) in old:
                # In use: another checkout is copying it right now; it goes next time.
                with suppress(psycopg.errors.ObjectInUse):
                    admin.execute(f'DROP DATABASE IF EXISTS "{stale}"')
    return name


def clone_template(settings_dict: dict, target_name: str | None = None) -> None:
    """Make the test database (`target_name`, by default the one Django will create for
    `settings_dict`) a fresh copy of the migrated template."""
    engine = settings_dict["ENGINE"]
    target_name = target_name or _test_name(settings_dict)
    if engine.endswith("sqlite3"):
        _sqlite_copy(_sqlite_template(), target_name)
    elif engine.endswith("postgresql"):
        template_name = _pg_template(settings_dict)
        # Copies run one at a time: PostgreSQL refuses a template that another copy reads.
        with _pg_admin(settings_dict) as admin, _pg_locked(admin):
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{target_name}" TEMPLATE "{template_name}"')
    else:
        raise RuntimeError(f"No template cloning for {engine}")


def _test_name(settings_dict: dict) -> str:
    """The name Django gives the test database (before it is created)."""
    return settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"


def name_per_process(settings_dict: dict) -> None:
    """PostgreSQL test databases named per process (as the SQLite files already are), so
    two runs against one server never drop each other's database."""
    if settings_dict["ENGINE"].endswith("postgresql"):
        settings_dict["TEST"]["NAME"] = f"{_test_name(settings_dict)}_{os.getpid()}"


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
        _sqlite_copy(name, f"{name}.{label}")
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
    elif settings_dict["ENGINE"].endswith("sqlite3"):
        _sqlite_copy(f"{name}.{label}", name)
    else:
        with _pg_admin(settings_dict) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_{label}"')


def drop_snapshot(settings_dict: dict, label: str) -> None:
    name = settings_dict["NAME"]
    if settings_dict["ENGINE"].endswith("sqlite3"):
        for path in Path(name).parent.glob(f"{Path(name).name}.{label}*"):
            path.unlink()
        return
    with _pg_admin(settings_dict) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}_{label}" WITH (FORCE)')
