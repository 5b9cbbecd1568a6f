"""`manage.py` for an installed site: the `ocop-manage` command of the package."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings.dev")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
