#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.env import SettingsError

    try:
        execute_from_command_line(sys.argv)
    except SettingsError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
