"""Settings shared by every environment; dev/production/test override a few."""

import datetime
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import database_config, env_list, env_str, tasks_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Beside the code in a checkout. An installed wheel's code sits in site-packages, so there
# OCOP_VAR_DIR must say where (web, worker and scheduler must all use the same folder).
if not env_str("OCOP_VAR_DIR") and not (BASE_DIR / "manage.py").exists():
    raise ImproperlyConfigured("Set OCOP_VAR_DIR to the folder for the database and media.")
VAR_DIR = Path(env_str("OCOP_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite database and local media live here

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "catalogue",
    "orders",
    "connectors",
    "background",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ocop_site.csp.AdminAllowsInline",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ocop_site.admin_language.AdminInVietnamese",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "catalogue.admin_guard.AdminReadGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orders.context_processors.cart",
                "catalogue.site_footer.footer",
            ],
        },
    },
]

WSGI_APPLICATION = "ocop_site.wsgi.application"

DATABASES = {"default": database_config(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English for visitors and staff who prefer it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# The admin is in Vietnamese only (ocop_site.admin_language); a profile cannot switch it.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", _("Tiếng Việt"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env_str("OCOP_SITE_NAME", "Sản phẩm OCOP")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Username or mobile number, "remember me" ticked, ?username= from a login card's QR.
WAGTAILADMIN_USER_LOGIN_FORM = "catalogue.login_form.PhoneOrUsernameLoginForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# ASCII slugs: shoppers type URLs without diacritics; đ becomes d (catalogue.text.slugify_vi).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Uploaded images: real image formats only, bounded in bytes and in pixels
# (Wagtail checks both and gives the editor a message; Pillow's own
# decompression-bomb guard stays on underneath).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# Storefront facet counts: after a catalogue change, a process rebuilds its in-memory
# counts at most this often (catalogue.storefront.facet_counts); results are always live.
STOREFRONT_FACETS_MIN_RELOAD_SECONDS = 5

# Orders and payment. Card payment is offered only when both Stripe keys are set.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_JS_URL = env_str("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# A card checkout holds its stock this long; then the hold is released (orders.expiry).
ORDERS_HOLD_MINUTES = 30
# Used when no shipping rule is set in the admin ("Phí vận chuyển").
ORDERS_DEFAULT_SHIPPING = {"base_fee": 30_000, "included_grams": 1000, "per_kg_fee": 10_000}
# Who is told about orders: email by default; an SMS or Zalo sender implements
# orders.notify.Notifier and is added here.
ORDERS_NOTIFIERS = ["orders.notify.EmailNotifier"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP <no-reply@localhost>")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
LOGIN_URL = "orders_login"
# Wrong passwords: at most AXES_FAILURE_LIMIT per account, and as many per address, then
# a pause (ocop_site/login_throttle.py). Behind a reverse proxy, PROXY_COUNT says how many
# X-Forwarded-For hops to trust; without one only the connection's address counts.
AUTHENTICATION_BACKENDS = [
    "ocop_site.login_throttle.ThrottledLogins",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_LOCK_MINUTES = int(env_str("LOGIN_LOCK_MINUTES", "15"))  # shown on the screens
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ocop_site.login_throttle.locked_out"
AXES_ENABLE_ADMIN = False  # unlocking is a Wagtail screen for province staff
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful login (personal data)
PROXY_COUNT = int(env_str("PROXY_COUNT", "0"))
# Personal data on orders (orders/personal_data.py; Decree 13/2023/NĐ-CP art. 3: kept no
# longer than its purpose needs). A finished order's name, phone, email and address are
# erased this many days after it was placed; amounts, lines and dates stay for the books.
PERSONAL_DATA_RETENTION_DAYS = int(env_str("PERSONAL_DATA_RETENTION_DAYS", "1825"))
# A shopper who deletes their account: finished orders older than this are erased at once,
# newer ones when they reach it (the window for returns and complaints).
ERASURE_HOLD_DAYS = int(env_str("ERASURE_HOLD_DAYS", "30"))
AXES_CLIENT_IP_CALLABLE = "ocop_site.login_throttle.client_address"
LOGIN_REDIRECT_URL = "orders_my_orders"

# Our own origin only; the admin and the card payment page add to it (ocop_site/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Wagtail's default sends each editor's e-mail hash to gravatar.com: no third parties.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Marketplace secrets are encrypted with this Fernet key (connectors.crypto); without it a
# key is derived from SECRET_KEY (development only: production refuses to start).
CONNECTORS_ENCRYPTION_KEY = env_str("CONNECTORS_ENCRYPTION_KEY")

# Background work (Django Tasks API). "database": django-tasks-db, run by
# `manage.py db_worker` (the default, no extra server); "rq": RQ workers on Redis
# (`manage.py rqworker default`), chosen by setting REDIS_URL or TASKS_BACKEND=rq.
REDIS_URL = env_str("REDIS_URL")
TASKS = tasks_config(env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database"))
# A pass can run for minutes (first listing of a large catalogue): RQ's 3-minute
# default job timeout would kill it.
RQ_QUEUES: dict[str, dict[str, Any]] = {
    "default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}
}
if REDIS_URL:
    # Shared by every web process: lookup rate limits, facet-count versions.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
# The scheduler ticks this often; /healthz says "down" after three missed ticks. Run
# from cron (`run_scheduler --once` every minute), set it to 60.
SCHEDULER_TICK_SECONDS = int(env_str("SCHEDULER_TICK_SECONDS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per page action and per task run is noise for an operator.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "ocop.tasks": {"level": "INFO"},  # one line per task run (background.tasklog)
        # urllib3 logs full URLs at DEBUG: marketplace tokens and signatures ride in them.
        "urllib3": {"level": "INFO"},
    },
}
