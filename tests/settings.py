"""Test settings: the real settings module, with what makes tests fast and hermetic."""

import os
import tempfile

os.environ.setdefault("ATIENDE_DEMO", "true")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ATIENDE_VAR_DIR", tempfile.mkdtemp(prefix="atiende-tests-"))

from atiende.settings import *  # noqa: F403
from atiende.settings import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Each test process its own cache: the shared file cache of the real settings would let
# parallel test processes clear and count in one another's.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests need real SQLite locking between connections.
    DATABASES["default"]["NAME"] = str(VAR_DIR / "atiende.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
