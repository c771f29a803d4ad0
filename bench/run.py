"""Child process of `quietdesk bench`: migrate a fresh database, run one benchmark, print JSON."""

import argparse
import importlib
import json
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quietdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    name, rest = argv[0], argv[1:]
    module = importlib.import_module(f"bench.{name}")
    parser = argparse.ArgumentParser(prog=f"quietdesk bench {name}")
    parser.add_argument("--json", action="store_true", help="Print one JSON object (always on).")
    module.add_arguments(parser)
    opts = vars(parser.parse_args(rest))
    opts.pop("json")
    if getattr(module, "NEEDS_DATABASE", True):
        call_command("migrate", verbosity=0)
    result = module.run(**opts)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
