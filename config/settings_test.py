from config.env import env_str
from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The test database is a file, not SQLite's shared-cache memory database: threads then lock it as
# the running site does (busy timeout, IMMEDIATE transactions) and the race tests are meaningful.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
# Rate limits count per address in the cache; the suite logs in from one address all day long.
# tests/security enable them where they are the subject.
RATE_LIMITS_ENABLED = False

# A per-process cache in tests (the production tests start servers with the shared cache), unless set.
if not env_str("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A second database for the read-replica routing test (tests/core/test_db_router.py); only tests
# that ask for it ("replica" in their databases) create it. The router is off unless a test sets it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"NAME": None}}  # noqa: F405
if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["replica"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_replica"}  # noqa: F405
