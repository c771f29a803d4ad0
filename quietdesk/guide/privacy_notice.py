"""The patron pages' privacy notice and "what the library keeps", built in sections.

The full generated privacy notice is a later piece of work: it can add or replace
sections with ``register(key, builder, order)`` (a builder takes the language code
and returns a ``Section``, or None to leave it out) without touching the templates.
How long each kind of record is kept comes from the retention app's
``public_schedule()`` when it provides one, and from a plain statement of the
policy otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from quietdesk import retention  # its public_schedule(): the plain-words schedule

from . import facts


@dataclass
class Section:
    key: str
    heading: object
    paragraphs: list = field(default_factory=list)
    items: list = field(default_factory=list)
    link: tuple[str, object] | None = None  # (url name in the "public" namespace, text)


@dataclass(frozen=True)
class Kept:
    category: str
    label: object
    period: str | None  # how long, from the retention schedule; None: not scheduled
    period_language: str = ""  # the language ``period`` is written in


_BUILDERS: dict[str, tuple[int, Callable[[str], Section | None]]] = {}


def register(key: str, builder: Callable[[str], Section | None], order: int = 50) -> None:
    """Add (or replace) a section of the privacy notice."""
    _BUILDERS[key] = (order, builder)


def _read_schedule(language: str) -> dict[str, str]:
    with translation.override(language):
        return {str(k): str(v) for k, v in dict(retention.public_schedule()).items() if k in facts.CATEGORY_LABELS}


def retention_periods(language: str) -> dict[str, tuple[str, str]]:
    """{category: (how long it is kept, the language that text is in)} from the retention schedule.

    A period the retention app does not translate reads the same in every language: it is
    then shown in English, marked as such (``lang``), and listed by ``quietdesk i18n_check``.
    """
    try:
        periods = _read_schedule(language)
        default = _read_schedule(settings.LANGUAGE_CODE) if language != settings.LANGUAGE_CODE else periods
    except Exception:  # a broken schedule must not take the patron pages down  # noqa: BLE001
        return {}
    return {
        category: (text, settings.LANGUAGE_CODE if language != settings.LANGUAGE_CODE and text == default.get(category)
                   else language)
        for category, text in periods.items()
    }


def kept_records(language: str | None = None) -> list[Kept]:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    periods = retention_periods(language)
    return [
        Kept(c, facts.CATEGORY_LABELS[c], *(periods[c] if c in periods else (None, language)))
        for c in facts.HELD
    ]


def untranslated_periods(language: str) -> list[str]:
    """Categories whose retention period shows in English on ``language`` pages."""
    return sorted(c for c, (_text, lang) in retention_periods(language).items() if lang != language)


NEVER_ASKED = (
    _("immigration status or citizenship"),
    _("country of birth or national origin"),
    _("Social Security or taxpayer numbers"),
    _("date of birth (only an age group, for the rules about children)"),
)


def _keeps(language: str) -> Section:
    kept = kept_records(language)
    paragraphs = [_("The library keeps only what it needs to lend and to run its services:")]
    if any(k.period is None for k in kept):
        paragraphs.append(
            _("Records are kept only as long as they are needed for the purpose they serve, then deleted.")
        )
    return Section("keeps", _("What the library keeps"), paragraphs,
                   items=[k.label for k in kept], link=("public:keeps", _("More about what the library keeps")))


def _never(language: str) -> Section:
    paragraphs = [_("The library never asks for, and never records:")]
    section = Section("never", _("What the library never asks"), paragraphs, items=list(NEVER_ASKED))
    if not settings.COLLECT_ADDRESS:
        section.items.append(_("your home address"))
    return section


def _protection(language: str) -> Section:
    return Section("protection", _("How your records are protected"), [
        _("Your personal details are stored encrypted. Each time a member of staff opens your record, "
          "the access is written in a log that cannot be changed without it showing."),
    ])


def _who(language: str) -> Section:
    return Section("who", _("Who can see your records"), [], items=facts.statements(facts.WHO_CAN_SEE))


def _rights(language: str) -> Section:
    return Section("rights", _("Your rights"), [
        _("You may see the records the library holds about you, and ask for them to be corrected."),
        _("You may authorize someone else, in writing, to see them."),
    ], link=("public:your_records", _("How to see your own records")))


register("keeps", _keeps, 10)
register("never", _never, 20)
register("protection", _protection, 30)
register("who", _who, 40)
register("rights", _rights, 50)


def sections(language: str) -> list[Section]:
    out = []
    for _order, builder in sorted(_BUILDERS.values(), key=lambda pair: pair[0]):
        section = builder(language)
        if section is not None:
            out.append(section)
    return out
