"""Every citation in rules, guidance, drills and docs names a real section of a seed, a real
research note, or a real public source (issue 13, section 5). The list of real sections is
parsed from the seed files themselves; without them these tests fail (never skip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quietdesk.guide import drills
from quietdesk.legal import desk_guidance, scripts
from quietdesk.policy import engine, vocab
from tests import citations

pytestmark = pytest.mark.nodb

REPO = citations.REPO
# Where rules, guidance and drills live, and the docs.
TEXT_FILES = sorted(
    [*REPO.joinpath("docs").glob("*.md"), REPO / "README.md",
     *REPO.joinpath("quietdesk", "policy").glob("*.py"),
     *REPO.joinpath("quietdesk", "guide").glob("*.py"),
     *REPO.joinpath("quietdesk", "guide", "views").glob("*.py"),
     *REPO.joinpath("quietdesk", "guide", "scenarios").glob("*.yaml"),
     *REPO.joinpath("quietdesk", "guide", "templates").rglob("*.html"),
     *REPO.joinpath("quietdesk", "legal", "templates").rglob("*.html"),
     REPO / "quietdesk" / "documents" / "document_guidance.py",
     *REPO.joinpath("quietdesk", "legal").glob("*.py")]
)


@pytest.fixture(scope="module")
def sources() -> citations.Sources:
    return citations.Sources.load()  # raises SeedsMissing (a failure, not a skip) without the seeds


def every_decision():
    for requester in vocab.REQUESTERS:
        for category in vocab.CATEGORIES:
            for document in vocab.DOCUMENTS:
                request = engine.Request(requester=requester, category=category, document=document)
                yield request, engine.decide(request)
    for age in (8, 15, 30, None):
        for card in (True, False):
            request = engine.Request(requester="parent_guardian", category="circulation", age=age, child_card=card)
            yield request, engine.decide(request)


def test_the_seeds_are_parsed_into_real_sections(sources):
    assert {"III.B.1.d", "III.C.2.c", "III.C.2.d.i", "III.C.2.d.ii", "III.C.2.i"} <= sources.sonoma
    assert "III.C.2.j" not in sources.sonoma and "III.C.3" not in sources.sonoma
    assert {"ice in the library", "when ice succeeds", "staff training and readiness", "salute",
            "collective bargaining", "rapid response"} <= sources.ice
    assert sources.roundtable == set(range(1, 8))
    assert sources.ala == set(range(1, 32))
    assert "legal documents an officer may present" in sources.research


def test_the_checker_refuses_what_is_not_there(sources):
    for bad in ("ICE response protocol, desk scenario 1 (ICE in the library)", "Sonoma policy III.C.2.z",
                "Sonoma policy III.D", "ALA Q&A 99", "Roundtable scenario 9", "ICE protocol: Desk scripts",
                "Research: what the officer wants", "Your library's behaviour policy", "ALA: Guide to Everything"):
        assert sources.check(bad), bad
    for good in ("Sonoma policy III.C.2.d.ii", "ICE protocol: ICE in the library (notice and document)",
                 "ALA Q&A 26", "Roundtable scenario 1", "Social Justice Roundtable, scenario 4 (x)",
                 "18 U.S.C. 1001", "ICE protocol: When ICE Succeeds", "Research: legal documents an officer may present"):
        assert sources.check(good) is None, good
    assert sources.check_text("as the ICE protocol's three desk scenarios say, Sonoma III.C.2.k")


def test_the_seeds_missing_is_a_failure_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(citations, "CANDIDATES", (tmp_path / "nowhere",))
    with pytest.raises(citations.SeedsMissing, match="seed documents were not found"):
        citations.Sources.load()
    assert issubclass(citations.SeedsMissing, AssertionError)  # pytest reports it as a failure


def test_every_basis_the_engine_and_the_desk_give_is_real(sources):
    seen = set()
    for request, decision in every_decision():
        seen.update(decision.basis)
        desk = desk_guidance.build(decision, requester=request.requester, category=request.category,
                              document=request.document)
        seen.update(desk.basis)
    for rule in scripts.RULES.values():
        seen.update(rule)
    problems = {b: sources.check(b) for b in seen if sources.check(b)}
    assert not problems, problems


def test_every_drill_source_and_cite_is_real(sources):
    loaded = drills.load_all(None)
    assert loaded.errors == []
    problems = []
    for drill in loaded.drills.values():
        if why := sources.check(drill.source):
            problems.append(f"{drill.slug} source: {why}")
        for step in drill.steps:
            for choice in step.choices:
                for cite in choice.cite:
                    if why := sources.check(cite):
                        problems.append(f"{drill.slug}: {why}")
    assert not problems, problems


def test_every_citation_in_rules_guidance_drills_and_docs_is_real(sources):
    assert len(TEXT_FILES) > 40
    problems = []
    for path in TEXT_FILES:
        for why in sources.check_text(Path(path).read_text(encoding="utf-8")):
            problems.append(f"{Path(path).relative_to(REPO)}: {why}")
    assert not problems, "\n".join(problems)
