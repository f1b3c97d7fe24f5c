from config.env import env_str
from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# A per-process cache in tests (the production tests start servers with the shared cache), unless set.
if not env_str("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A second database for the read-replica routing test (tests/core/test_db_router.py); only tests
# that ask for it ("replica" in their databases) create it. The router is off unless a test sets it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"NAME": None}}  # noqa: F405
if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["replica"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_replica"}  # noqa: F405
