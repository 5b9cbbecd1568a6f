import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_str, tasks_config

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None  # a worker process's mail, for its test
# Worker processes started by a test get the test's own media folder.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or tempfile.mkdtemp(prefix="ocop-test-media-"))
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
STOREFRONT_FACETS_MIN_RELOAD_SECONDS = 0  # counts follow every change at once in tests
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run inline in tests; worker tests start real workers with TASKS_BACKEND set.
TASKS = tasks_config(env_str("TASKS_BACKEND", "immediate"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: worker processes started by tests open the same database.
    # One per test run, so runs side by side do not share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"ocop-test-{os.getpid()}.sqlite3")
    }
