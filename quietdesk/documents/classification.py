"""What the reader says about a document: the answer ``classify`` builds and
``guidance`` turns into plain words. Its own module so that both can use it without
importing each other. Pure; no Django."""

from dataclasses import asdict, dataclass, field

from . import markers as mk


@dataclass
class Classification:
    kind: str = mk.UNKNOWN
    signed_by_judge: bool | None = None
    issuer: str | None = None
    signatory_title: str | None = None
    form_number: str | None = None
    authorizes: list[str] = field(default_factory=lambda: ["nothing_immediate"])
    names: dict[str, list[str]] = field(
        default_factory=lambda: {"persons": [], "premises": [], "records": []}
    )
    dates: dict[str, str | None] = field(
        default_factory=lambda: {"issued": None, "execute_by": None, "return_date": None}
    )
    expired: bool | None = None
    out_of_state: bool | None = None
    names_other_premises: bool | None = None
    nondisclosure: bool | None = None
    findings: list[dict[str, str]] = field(default_factory=list)
    confidence: float = 0.0
    guidance: list[str] = field(default_factory=list)
    reason: str | None = None

    @property
    def judicial(self) -> bool:
        return self.kind in mk.JUDICIAL_KINDS and self.signed_by_judge is True

    def as_dict(self) -> dict:
        out = asdict(self)
        if self.kind != mk.UNKNOWN:
            del out["reason"]
        return out
