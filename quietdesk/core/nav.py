"""The staff navigation, built from what each app registers in its AppConfig.ready().

Apps add themselves here instead of editing base.html: ``register("Find patron",
"patrons:find", Cap.FIND_PATRON, order=10)``. Each signed-in user sees only the
items their role's capabilities allow.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    cap: str
    order: int = 50


ITEMS: list[NavItem] = []


def register(label: str, url_name: str, cap, order: int = 50) -> None:
    if not any(item.url_name == url_name for item in ITEMS):
        ITEMS.append(NavItem(label, url_name, str(cap), order))
        ITEMS.sort(key=lambda item: (item.order, item.label))


def items_for(can: dict[str, bool]) -> list[dict[str, str]]:
    return [{"label": i.label, "url": reverse(i.url_name)} for i in ITEMS if can.get(i.cap)]
