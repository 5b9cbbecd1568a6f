from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONNECTORS_ENCRYPTION_KEY, SECRET_KEY
from .env import env_bool, env_str

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
# A key derived from SECRET_KEY would sit in the same place as the ciphertext it guards.
try:
    Fernet(CONNECTORS_ENCRYPTION_KEY)
except ValueError:
    raise ImproperlyConfigured(
        "Set CONNECTORS_ENCRYPTION_KEY to a Fernet key for production: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ) from None

# HTTPS only. Behind a TLS proxy (nginx, Caddy) the proxy must set X-Forwarded-Proto;
# SECURE_SSL_REDIRECT=false leaves the redirect to the proxy. HSTS_SECONDS=0 turns HSTS
# off while a site is first tried on HTTPS (browsers remember it for the whole period).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env_str("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is for the owner of the registrable domain to decide and submit (a province
# site is usually ocop.<province>.gov.vn), so it is off unless asked for and its check
# (security.W021) is silenced.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
