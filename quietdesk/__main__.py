"""The `quietdesk` command: Django's manage.py for this project.

Its settings come from the environment and the installation's configuration file
(quietdesk/config.py), which settings.py reads: every command printed by the README or
the demo works as printed, with nothing exported first.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quietdesk.settings")
    if argv[:1] == ["bench"]:
        # Benchmarks always run on a throwaway database, never the library's own
        # (and in test mode no configuration file is read).
        os.environ.setdefault("QUIETDESK_MODE", "test")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["quietdesk", *argv])
    except ImproperlyConfigured as exc:
        # A configuration mistake gets its message, not a traceback.
        print(f"quietdesk: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
