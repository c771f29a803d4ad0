"""The `quietdesk` command: Django's manage.py for this project."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quietdesk.settings")
    if argv[:1] == ["bench"]:
        # Benchmarks always run on a throwaway database, never the library's own.
        os.environ.setdefault("QUIETDESK_MODE", "test")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["quietdesk", *argv])


if __name__ == "__main__":
    main()
