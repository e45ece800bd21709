"""Test settings: the real settings, with the few things a test run must change."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789abcdef")
os.environ.setdefault("SECURE_SSL", "false")
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "mandatory")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Each test process gets its own cache: allauth's rate limits and used-code records must not leak
# between tests through a shared Redis. The fail-soft Redis cache has its own test against real Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STATIC_ROOT = None  # no collectstatic in tests: static files come from the finders
WHITENOISE_USE_FINDERS = True
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
SMS_BACKEND = "locmem"
# Tests run tasks in-process unless a test asks for the broker (settings.CELERY_TASK_ALWAYS_EAGER = False):
# the same result whether or not CELERY_BROKER_URL is set, as it is in CI.
CELERY_TASK_ALWAYS_EAGER = True
