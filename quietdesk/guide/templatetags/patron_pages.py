"""Template tags for the patron pages: facts the pages state only while they hold.

``page_review`` is who last reviewed a page and when (``PageReview``, filled in by the
library), or None: the page then says no review is recorded. ``children_rule`` is
whether the policy engine still lets a parent with the card see an under-13's records
and a 13-to-17-year-old's overdue items (Sonoma III.B.2), and someone the patron authorized
in writing see what they name (III.B.1.c), so that the index page says it only while it is
true. ``officer_rule`` is the sentence on officers (III.B.3, III.C.2.i) while it holds, or None.
"""

from django import template

from .. import facts
from ..models import PageReview

register = template.Library()


@register.simple_tag
def page_review(page: str) -> PageReview | None:
    return PageReview.of(page)


@register.simple_tag
def children_rule() -> bool:
    return all(f.holds() for f in facts.WHO_CAN_SEE if f.key in ("authorized", "child", "teen"))


@register.simple_tag
def officer_rule() -> object | None:
    officer = next(f for f in facts.WHO_CAN_SEE if f.key == "officer")
    return officer.text if officer.holds() else None
