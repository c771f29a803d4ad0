"""The real sections of the seeds (and research notes), parsed from the files themselves,
and a checker for citations ("Sonoma policy III.C.2.d.ii", "ICE protocol: ICE in the
library", "ALA Q&A 26", "Roundtable scenario 1", "18 U.S.C. 1001", ...).

The seeds live outside the repository (``../shared/seeds`` next to it, or
``/work/shared/seeds``). When they cannot be found, ``Sources.load`` raises: a citation
test must never pass by checking nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = (REPO.parent / "shared", REPO.parent.parent / "shared", Path("/work/shared"))

SONOMA = "sonoma-county-library-patron-confidentiality-policy.txt"
ICE = "ice-response-protocols-for-library-workers.txt"
ROUNDTABLE = "social-justice-roundtable-scenarios.txt"
ALA = "ala-privacy-and-confidentiality-qa.txt"
THREAT = "threat-model-library-immigrant-population.txt"


class SeedsMissing(AssertionError):
    pass


def shared_dir() -> Path:
    for candidate in CANDIDATES:
        if (candidate / "seeds" / SONOMA).is_file():
            return candidate
    looked = ", ".join(str(c / "seeds") for c in CANDIDATES)
    raise SeedsMissing(f"The seed documents were not found (looked in {looked}). Citations cannot be "
                       "checked without them: put the seeds at ../shared/seeds next to the repository.")


def sonoma_sections(text: str) -> set[str]:
    """Every section id of the Sonoma policy, with every prefix: III, III.C, III.C.2, III.C.2.d.ii..."""
    found: set[str] = set()
    roman = letter = number = item = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if m := re.match(r"^([IVX]+)\. [A-Z]", line):
            roman, letter, number, item = m.group(1), None, None, None
            found.add(roman)
        elif m := re.match(r"^(?:- )?([A-Z])\. [\"A-Z“]", line):
            letter, number, item = m.group(1), None, None
            found.add(f"{roman}.{letter}")
        elif m := re.match(r"^(\d)\. [A-Z]", line):
            number, item = m.group(1), None
            found.add(f"{roman}.{letter}.{number}")
        elif m := re.match(r"^- ([a-z])\. ", line):
            item = m.group(1)
            found.add(f"{roman}.{letter}.{number}.{item}")
        elif m := re.match(r"^ ?-? ?(i{1,3})\. [A-Z]", line):
            found.add(f"{roman}.{letter}.{number}.{item}.{m.group(1)}")
    return found


def ice_headings(text: str) -> set[str]:
    """The ICE protocol's headings: short lines standing alone, and the table of contents."""
    lines = text.splitlines()
    heads = set()
    for i, line in enumerate(lines):
        s = line.strip()
        if "\t" in s and s.split("\t")[-1].startswith("Page"):
            heads.add(s.split("\t")[0].strip().lower())
            continue
        if not s or "\t" in line or s.startswith(("-", "•", "[", "<", "“", '"')) or len(s) > 60:
            continue
        if s[-1] in ".:!," or not s[0].isupper():
            continue
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not before and (not after or i + 1 < len(lines)):
            heads.add(re.sub(r"\s*\(continued\)$", "", s).lower())
    return heads


def roundtable_scenarios(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"Scenario #(\d+):", text)}


def ala_questions(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"(?m)^(\d+)\. \S", text)}


def research_headings(directory: Path) -> set[str]:
    heads = set()
    for path in directory.glob("*.md"):
        for m in re.finditer(r"(?m)^#{1,3} (.+)$", path.read_text(encoding="utf-8")):
            heads.add(m.group(1).strip().lower())
    return heads


@dataclass
class Sources:
    sonoma: set[str]
    ice: set[str]
    roundtable: set[int]
    ala: set[int]
    research: set[str]
    seeds_text: str = field(repr=False)

    @classmethod
    def load(cls) -> Sources:
        shared = shared_dir()
        seeds = shared / "seeds"
        read = {name: (seeds / name).read_text(encoding="utf-8") for name in (SONOMA, ICE, ROUNDTABLE, ALA, THREAT)}
        research = shared / "research"
        return cls(
            sonoma=sonoma_sections(read[SONOMA]),
            ice=ice_headings(read[ICE]),
            roundtable=roundtable_scenarios(read[ROUNDTABLE]),
            ala=ala_questions(read[ALA]),
            research=research_headings(research) if research.is_dir() else set(),
            seeds_text=" ".join(" ".join(read.values()).split()).lower(),
        )

    # --- one citation, as a whole (basis, drill sources and cites) -----------------

    def check(self, citation: str) -> str | None:
        """None when ``citation`` names a real section or a real public source, else why not."""
        c = " ".join(citation.split())
        if "desk scenario" in c.lower():
            return "the ICE protocol has no desk scenarios"
        if m := re.match(r"^Sonoma policy ([IVX]+(?:\.[A-Za-z0-9]+)*)", c):
            return None if m.group(1) in self.sonoma else f"Sonoma policy has no section {m.group(1)}"
        if m := re.match(r"^ALA Q&A (\d+)\b", c):
            return None if int(m.group(1)) in self.ala else f"the ALA Q&A has no question {m.group(1)}"
        if m := re.match(r"^(?:Social Justice )?Roundtable,? scenario #?(\d+)\b", c, re.I):
            n = int(m.group(1))
            return None if n in self.roundtable else f"the roundtable has no scenario {n}"
        if m := re.match(r"^ICE (?:response )?protocol[:,] ['\"“]?([^'\"”(;]+)", c):
            return self._ice(m.group(1))
        if m := re.match(r"^Research: ([^(;]+)", c):
            name = m.group(1).strip().lower()
            return None if name in self.research else f"no research note is headed {m.group(1).strip()!r}"
        if re.match(r"^\d+ U\.S\.C\. §?\s?\d+", c) or re.match(r"^Cal\. [A-Za-z. ]+ Code §?\s?\d+", c):
            return None
        if m := re.match(r"^ALA: ([^,(]+)", c):  # an ALA document the seeds themselves name
            title = m.group(1).strip().lower()
            return None if title in self.seeds_text else f"no seed names the ALA document {m.group(1)!r}"
        return f"{c!r} is not a known kind of source"

    def _ice(self, name: str) -> str | None:
        name = name.strip().rstrip(".").lower()
        if any(name == h or name.startswith(h + " ") or name.startswith(h + ":") for h in self.ice):
            return None
        return f"the ICE protocol has no section {name!r}"

    # --- citations inside running text (docs, comments) --------------------------

    PATTERNS = (
        re.compile(r"Sonoma(?: policy)?,? (?:section )?([IVX]+(?:\.[A-Za-z0-9]+)+|[IVX]+\b)"),
        re.compile(r"ALA Q&A (\d+)"),
        re.compile(r"[Rr]oundtable(?:'s)?(?: seed)?,? scenario #?(\d+)"),
        re.compile(r"ICE (?:response )?protocol(?:'s)?[:,]? ['\"“(]+([A-Z][^'\"”)]{2,60})['\"”)]"),
        re.compile(r"ICE (?:response )?protocol[:,] ([A-Z][A-Za-z -]{2,60})"),
        re.compile(r"desk scenario"),
    )

    def check_text(self, text: str) -> list[str]:
        """Every citation found in running text that names no real section."""
        problems = []
        text = re.sub(r"(?m)^\s*#+\s?", "", text)  # a citation may run across comment lines
        flat = " ".join(text.split())
        for m in self.PATTERNS[0].finditer(flat):
            if m.group(1) not in self.sonoma:
                problems.append(f"Sonoma {m.group(1)}: no such section")
        for m in self.PATTERNS[1].finditer(flat):
            if int(m.group(1)) not in self.ala:
                problems.append(f"ALA Q&A {m.group(1)}: no such question")
        for m in self.PATTERNS[2].finditer(flat):
            if int(m.group(1)) not in self.roundtable:
                problems.append(f"roundtable scenario {m.group(1)}: no such scenario")
        for pattern in self.PATTERNS[3:5]:
            for m in pattern.finditer(flat):
                why = self._ice(m.group(1))
                if why:
                    problems.append(why)
        for m in self.PATTERNS[5].finditer(flat):
            problems.append(f"'desk scenario' near {flat[max(0, m.start() - 40):m.end() + 20]!r}")
        return problems
