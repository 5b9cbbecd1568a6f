from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
