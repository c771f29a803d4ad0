"""Training drills: scenarios in YAML files, validated on load.

The shipped scenarios live in ``quietdesk/guide/scenarios/``; a library adds its own
(or replaces a shipped one by reusing its ``id``) in ``settings.DRILLS_DIR``
(``QUIETDESK_DRILLS_DIR``). A file with errors is refused with its file name,
line and reason; the other files still load.

A drill file::

    id: officer-public-area          # optional: the file name without .yaml
    title: An officer in a public area
    source: "ICE protocol: ICE in the library"
    summary: One or two sentences shown in the list of drills.
    steps:
      - situation: What is happening.
        question: What do you do?
        choices:
          - text: What the member of staff would say or do.
            feedback: Why this is, or is not, the better answer.
            best: true               # exactly one choice per step
            cite: Sonoma policy III.C.2.f   # required on the best choice
          - policy:                  # instead of text: the policy engine's own words
              requester: immigration_officer
              category: area:public
            feedback: ...

Only plain data is read (``yaml.SafeLoader``); unknown keys are errors, so a typo
never silently drops a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quietdesk.policy.engine import InvalidRequest, Request, decide

from .procedure import officer_script

SHIPPED_DIR = Path(__file__).resolve().parent / "scenarios"
MAX_FILE_BYTES = 256 * 1024
MAX_TEXT = 3000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MIN_CHOICES, MAX_CHOICES = 2, 6
MAX_STEPS = 20


@dataclass(frozen=True)
class DrillError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class Choice:
    text: str
    feedback: str
    best: bool
    cite: tuple[str, ...]
    from_policy: bool = False

    @property
    def display(self) -> str:
        """As shown: the engine's words are spoken words, so they are quoted like the authors' own."""
        return f'"{self.text}"' if self.from_policy else self.text


@dataclass(frozen=True)
class DrillStep:
    situation: str
    question: str
    choices: tuple[Choice, ...]

    @property
    def best(self) -> Choice:
        return next(c for c in self.choices if c.best)


@dataclass(frozen=True)
class Drill:
    slug: str
    title: str
    source: str
    summary: str
    steps: tuple[DrillStep, ...]
    file: str
    origin: str  # "shipped" or "library"

    @property
    def out_of(self) -> int:
        return len(self.steps)


@dataclass
class Loaded:
    drills: dict[str, Drill]
    errors: list[DrillError]

    def ordered(self) -> list[Drill]:
        return sorted(self.drills.values(), key=lambda d: (d.origin != "shipped", d.file))


class _Refused(Exception):
    pass


class _Reader:
    """Walks the YAML node tree, keeping line numbers for every complaint."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[DrillError] = []
        self._constructor = SafeConstructor()

    def error(self, node: Node | None, reason: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(DrillError(self.file, line, reason))

    def mapping(self, node: Node, where: str, required: set[str], optional: set[str]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.error(node, f"{where} must be a mapping of keys to values")
            raise _Refused
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                self.error(key_node, f"{where}: keys must be plain words")
            elif key in found:
                self.error(key_node, f"{where}: {key!r} is given twice")
            elif key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(key_node, f"{where}: unknown key {key!r} (allowed: {allowed})")
            else:
                found[key] = value_node
        for key in sorted(required - set(found)):
            self.error(node, f"{where}: {key!r} is missing")
        return found

    def scalar(self, node: Node):
        try:
            return self._constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            self.error(node, f"cannot read this value: {exc.problem}")
            return None

    def text(self, node: Node | None, where: str, *, limit: int = MAX_TEXT) -> str:
        if node is None:
            return ""
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
            self.error(node, f"{where} must be text")
            return ""
        value = str(value).strip()
        if len(value) > limit:
            self.error(node, f"{where} is longer than {limit} characters")
        return value

    def flag(self, node: Node | None, where: str) -> bool:
        if node is None:
            return False
        value = self.scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            self.error(node, f"{where} must be true or false")
            return False
        return value

    def texts(self, node: Node | None, where: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, SequenceNode):
            return tuple(self.text(item, where, limit=200) for item in node.value)
        return (self.text(node, where, limit=200),)

    def sequence(self, node: Node, where: str, low: int, high: int) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{where} must be a list")
            raise _Refused
        if not low <= len(node.value) <= high:
            self.error(node, f"{where} must have between {low} and {high} entries, not {len(node.value)}")
        return list(node.value)

    # --- the drill's parts --------------------------------------------------

    def policy_choice(self, node: Node, where: str) -> tuple[str, tuple[str, ...]]:
        keys = self.mapping(node, where, {"requester", "category"},
                            {"document", "age", "child_card", "authorized_categories"})
        values = {key: self.scalar(value) for key, value in keys.items()}
        try:
            authorized = values.get("authorized_categories") or ()
            request = Request(
                requester=str(values.get("requester", "")),
                category=str(values.get("category", "")),
                document=str(values.get("document") or "none"),
                age=values.get("age"),
                child_card=values.get("child_card", False),
                authorized_categories=frozenset(authorized if isinstance(authorized, list) else ()),
            )
            decision = decide(request)
        except InvalidRequest as exc:
            self.error(node, f"{where}: the policy engine cannot decide this: {exc}")
            return "", ()
        # The same words as the desk and the guide (an officer's script completed by legal.scripts).
        return officer_script(request, decision), decision.basis

    def choice(self, node: Node, where: str) -> Choice:
        keys = self.mapping(node, where, {"feedback"}, {"text", "policy", "best", "cite"})
        if ("text" in keys) == ("policy" in keys):
            self.error(node, f"{where}: give either 'text' or 'policy', not both or neither")
        basis: tuple[str, ...] = ()
        if "policy" in keys:
            text, basis = self.policy_choice(keys["policy"], f"{where} policy")
        else:
            text = self.text(keys.get("text"), f"{where} text")
        best = self.flag(keys.get("best"), f"{where} best")
        cite = self.texts(keys.get("cite"), f"{where} cite") or basis
        if best and not cite:
            self.error(node, f"{where}: the best choice must 'cite' the policy or protocol it follows")
        return Choice(text=text, feedback=self.text(keys.get("feedback"), f"{where} feedback"), best=best,
                      cite=cite, from_policy="policy" in keys)

    def step(self, node: Node, where: str) -> DrillStep:
        keys = self.mapping(node, where, {"situation", "question", "choices"}, set())
        choices = []
        if "choices" in keys:
            nodes = self.sequence(keys["choices"], f"{where} choices", MIN_CHOICES, MAX_CHOICES)
            choices = [self.choice(c, f"{where} choice {i}") for i, c in enumerate(nodes, 1)]
            bests = sum(c.best for c in choices)
            if bests != 1:
                self.error(keys["choices"], f"{where}: exactly one choice must be 'best: true' (found {bests})")
            texts = [c.text for c in choices]
            if len(set(texts)) != len(texts):
                self.error(keys["choices"], f"{where}: two choices have the same text")
        return DrillStep(self.text(keys.get("situation"), f"{where} situation"),
                         self.text(keys.get("question"), f"{where} question", limit=300), tuple(choices))

    def drill(self, root: Node, default_slug: str, origin: str) -> Drill:
        keys = self.mapping(root, "the drill", {"title", "source", "summary", "steps"}, {"id"})
        slug = default_slug
        if "id" in keys:
            slug = str(self.scalar(keys["id"]) or "")
        if not SLUG.fullmatch(slug):
            self.error(keys.get("id", root), f"id {slug!r} must be lower-case letters, digits and dashes "
                       "(from the file name unless 'id' is given)")
        steps = []
        if "steps" in keys:
            nodes = self.sequence(keys["steps"], "steps", 1, MAX_STEPS)
            steps = [self.step(n, f"step {i}") for i, n in enumerate(nodes, 1)]
        return Drill(slug=slug, title=self.text(keys.get("title"), "title", limit=200),
                     source=self.text(keys.get("source"), "source", limit=300),
                     summary=self.text(keys.get("summary"), "summary", limit=600),
                     steps=tuple(steps), file=self.file, origin=origin)


def load_file(path: Path, origin: str = "library") -> tuple[Drill | None, list[DrillError]]:
    """One drill file: the drill, or None and the reasons it was refused."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [DrillError(name, 1, f"cannot be read: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [DrillError(name, 1, f"is larger than {MAX_FILE_BYTES // 1024} KB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [DrillError(name, line, "is not UTF-8 text")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, [DrillError(name, line, f"is not valid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [DrillError(name, 1, f"is not valid YAML: {exc}")]
    if root is None:
        return None, [DrillError(name, 1, "is empty")]
    reader = _Reader(name)
    try:
        drill = reader.drill(root, path.stem.lower(), origin)
    except _Refused:
        drill = None
    if reader.errors:
        return None, sorted(reader.errors, key=lambda e: e.line)
    return drill, []


def _files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_all(library_dir: Path | None = None, shipped_dir: Path = SHIPPED_DIR) -> Loaded:
    """Every drill: the shipped ones, then the library's (which may replace a shipped one)."""
    drills: dict[str, Drill] = {}
    errors: list[DrillError] = []
    for origin, directory in (("shipped", shipped_dir), ("library", library_dir)):
        seen_here: dict[str, str] = {}
        for path in _files(directory):
            drill, problems = load_file(path, origin)
            errors.extend(problems)
            if drill is None:
                continue
            if drill.slug in seen_here:
                errors.append(DrillError(str(path), 1, f"id {drill.slug!r} is already used by {seen_here[drill.slug]}"))
                continue
            seen_here[drill.slug] = str(path)
            drills[drill.slug] = drill
    return Loaded(drills, errors)


def library_drills() -> Loaded:
    """The drills for this library (settings.DRILLS_DIR), loaded fresh each time: files are small."""
    from django.conf import settings

    return load_all(getattr(settings, "DRILLS_DIR", None))
