"""Drill files: the shipped ones load; a bad file is refused with file, line and reason, the rest load."""

import textwrap

import pytest

from quietdesk.guide import drills, procedure
from quietdesk.policy.engine import Request, decide

pytestmark = pytest.mark.nodb

GOOD = """\
title: A good drill
source: Test
summary: Fine.
steps:
  - situation: Something happens.
    question: What do you do?
    choices:
      - text: The right thing.
        best: true
        cite: Sonoma policy III.C.2
        feedback: Because.
      - text: The wrong thing.
        feedback: Because not.
"""


def write(directory, name, text):
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_drills_load_without_errors():
    loaded = drills.load_all(None)
    assert loaded.errors == []
    assert len(loaded.drills) == 10
    sources = [d.source for d in loaded.ordered()]
    assert sum("Roundtable" in s for s in sources) == 8
    # The ICE protocol has no "desk scenarios" (issue 13): drills name real sections.
    assert not any("desk scenario" in s for s in sources)
    for drill in loaded.drills.values():
        assert drill.origin == "shipped"
        for step in drill.steps:
            assert sum(c.best for c in step.choices) == 1
            assert step.best.cite, f"{drill.slug}: the best answer cites nothing"
            assert all(c.feedback for c in step.choices)


def test_policy_choices_are_the_engines_words():
    loaded = drills.load_all(None)
    ice = loaded.drills["i200-asking-for-address"]
    request = Request("immigration_officer", "registration", "ice_administrative_warrant")
    expected = decide(request)
    choice = ice.steps[1].best
    assert choice.from_policy and choice.cite == expected.basis
    assert choice.text == procedure.officer_script(request, expected)
    assert choice.text.startswith(expected.say.split(". ")[0])
    assert any(c.from_policy for d in loaded.drills.values() for s in d.steps for c in s.choices)


def refused(tmp_path, name, text):
    loaded = drills.load_all(tmp_path, shipped_dir=tmp_path / "none")
    return [e for e in loaded.errors if e.file.endswith(name)], loaded


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("title: x\nsteps: [\n", 3, "not valid YAML"),
        (GOOD.replace("title: A good drill\n", ""), 1, "'title' is missing"),
        (GOOD.replace("summary: Fine.", "summary: Fine.\ncolour: red"), 4, "unknown key 'colour'"),
        (GOOD.replace("      - text: The wrong thing.\n", "      - text: The wrong thing.\n        best: true\n"),
         8, "exactly one choice must be 'best: true' (found 2)"),
        (GOOD.replace("        best: true\n", ""), 8, "exactly one choice must be 'best: true' (found 0)"),
        (GOOD.replace("        cite: Sonoma policy III.C.2\n", ""), 8, "the best choice must 'cite'"),
        (GOOD.replace("      - text: The right thing.",
                      "      - policy:\n          requester: sheriff\n          category: circulation"),
         9, "the policy engine cannot decide this: Unknown requester 'sheriff'"),
        (GOOD.replace("best: true", "best: maybe"), 9, "best must be true or false"),
        (GOOD.replace("title: A good drill", "title: A good drill\ntitle: Again"), 2, "'title' is given twice"),
        (GOOD.replace("steps:\n", "steps: nothing\n").split("  - situation")[0], 4, "steps must be a list"),
        (GOOD.replace("      - text: The wrong thing.\n        feedback: Because not.\n", ""), 8,
         "must have between 2 and 6 entries"),
        ("id: Not A Slug\n" + GOOD, 1, "must be lower-case letters"),
        ("", 1, "is empty"),
        ("- just\n- a list\n", 1, "the drill must be a mapping"),
    ],
)
def test_a_bad_file_is_refused_with_line_and_reason_and_the_rest_load(tmp_path, text, line, reason):
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "bad.yaml", text)
    errors, loaded = refused(tmp_path, "bad.yaml", text)
    assert "good" in loaded.drills and "bad" not in loaded.drills
    assert errors, "the bad file was not refused"
    messages = [f"{e.line}: {e.reason}" for e in errors]
    assert any(e.line == line and reason in e.reason for e in errors), messages
    assert str(errors[0]).startswith(str(tmp_path / "bad.yaml") + ":")


def test_bytes_that_are_not_utf8_are_refused(tmp_path):
    write(tmp_path, "good.yaml", GOOD)
    (tmp_path / "latin.yaml").write_bytes(GOOD.encode() + b"# caf\xe9\n")
    errors, loaded = refused(tmp_path, "latin.yaml", "")
    assert errors[0].reason == "is not UTF-8 text" and errors[0].line == GOOD.count("\n") + 1
    assert "good" in loaded.drills


def test_a_duplicate_id_in_the_library_is_refused(tmp_path):
    write(tmp_path, "a.yaml", "id: same\n" + GOOD)
    write(tmp_path, "b.yaml", "id: same\n" + GOOD)
    errors, loaded = refused(tmp_path, "b.yaml", "")
    assert "already used by" in errors[0].reason and str(tmp_path / "a.yaml") in errors[0].reason
    assert loaded.drills["same"].file.endswith("a.yaml")


def test_the_library_adds_drills_and_replaces_a_shipped_one(tmp_path):
    write(tmp_path, "ours.yaml", GOOD)
    write(tmp_path, "replacement.yaml", "id: officer-in-public-area\n" + GOOD)
    loaded = drills.load_all(tmp_path)
    assert loaded.errors == []
    assert len(loaded.drills) == 11
    assert loaded.drills["ours"].origin == "library"
    assert loaded.drills["officer-in-public-area"].title == "A good drill"
    assert loaded.ordered()[-1].origin == "library"


def test_yaml_tags_that_build_objects_are_not_run(tmp_path):
    write(tmp_path, "evil.yaml", GOOD.replace("title: A good drill", "title: !!python/object/apply:os.system ['true']"))
    errors, loaded = refused(tmp_path, "evil.yaml", "")
    assert errors and errors[0].line == 1
    assert "evil" not in loaded.drills


def test_a_missing_library_directory_is_not_an_error(tmp_path):
    loaded = drills.load_all(tmp_path / "nowhere")
    assert loaded.errors == [] and len(loaded.drills) == 10
