"""Settings for the app servers that tests/production starts: the production settings, except that
static files are served without the manifest (building it takes minutes; `make serve` does)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
