"""quietdesk bench NAME [options] --json

Runs bench/NAME.py in a child process on a fresh, throwaway data directory
(never the library's own database), and prints its JSON result.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

REPO = Path(__file__).resolve().parents[4]
# Benchmarks whose command name is not a valid module name.
ALIASES = {"import": "import_koha"}


class Command(BaseCommand):
    help = "Run a benchmark from bench/ on a throwaway database and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("name", help="vault, classify, ... (a module in bench/)")
        parser.add_argument("--database-url", default=None, help="Run on this PostgreSQL database instead of SQLite.")
        parser.add_argument("args", nargs=argparse.REMAINDER, help="Options for the benchmark, e.g. --json --patrons 1000")

    def handle(self, *args, name, **opts):
        bench_args = list(args)
        name = ALIASES.get(name, name)
        if not (REPO / "bench" / f"{name}.py").is_file():
            available = sorted(p.stem for p in (REPO / "bench").glob("*.py") if not p.stem.startswith("_") and p.stem != "run")
            raise CommandError(f"No benchmark {name!r}. Available: {', '.join(available)}")
        with tempfile.TemporaryDirectory(prefix="quietdesk-bench-") as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("QUIETDESK_")}
            env.update(QUIETDESK_MODE="test", QUIETDESK_DATA_DIR=tmp, PYTHONPATH=str(REPO))
            if opts["database_url"]:
                env["QUIETDESK_DATABASE_URL"] = opts["database_url"]
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.run", name, *bench_args], env=env, cwd=REPO, check=False
            )
        if result.returncode:
            raise CommandError(f"benchmark {name} failed (exit {result.returncode})")
