"""Settings for the test suite: fast hashing, tasks run inline, a private data directory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-key-not-secret"  # noqa: S105 - used only by the test suite
DEBUG = False
DATA_DIR = Path(os.environ.get("MINGA_DATA_DIR") or tempfile.mkdtemp(prefix="minga-test-"))
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
SEARCH_INDEX_DIR = DATA_DIR / "search"
# The legal cases' master key of the test suite only (32 bytes, URL-safe base64).
CASES_KEYS = "test1:dGVzdC1vbmx5LWNhc2VzLWtleS0zMi1ieXRlcyEhISE="
CASES_KEY_FILE = ""
if "DATABASE_URL" not in os.environ:
    DATABASES["default"]["NAME"] = str(DATA_DIR / "test.sqlite3")
    # A file, not memory, so that other processes (concurrency and crash tests) share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
# A child process started by a test connects to the database that test is using.
if os.environ.get("MINGA_TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["MINGA_TEST_DATABASE_NAME"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests read English, the source language; tests/test_site.py checks that Spanish is the
# default with the production setting.
LANGUAGE_CODE = "en"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
