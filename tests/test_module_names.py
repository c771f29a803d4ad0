"""One name, one meaning (docs/contributing.md, "Layout"): no two modules under quietdesk/
share a file name, and an app's views are one views.py or a views/ package."""

from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

ROOT = Path(__file__).resolve().parent.parent / "quietdesk"

# Django's and quietdesk's conventional names: the same name means the same thing in every app.
CONVENTIONAL = {
    "__init__.py", "__main__.py", "apps.py", "models.py", "urls.py", "views.py", "forms.py", "admin.py",
    "services.py", "tests.py", "middleware.py", "validators.py", "tasks.py", "conf.py", "retention_rules.py",
}



def _modules() -> list[Path]:
    out = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "commands" in parts or "views" in parts[:-1]:
            continue
        if path.name not in CONVENTIONAL:
            out.append(path)
    return out


def test_the_walk_sees_the_modules():
    names = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"retention/legal_holds.py", "circulation/holds.py", "legal/desk_guidance.py"} <= names
    assert "legal/views/cases.py" not in names


def test_no_two_modules_share_a_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        by_name[path.name].add(path.relative_to(ROOT).as_posix())
    twins = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert twins == {}


def test_views_are_split_one_way():
    stray = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py")
                   if p.name.startswith("views_") or p.name.endswith("_views.py"))
    assert stray == []
    for package in ROOT.glob("*/views"):
        assert (package / "__init__.py").is_file(), package
        assert not (package.parent / "views.py").exists(), package
