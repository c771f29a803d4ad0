from django.conf import settings

from quietdesk.staff.roles import Cap, has_cap

from . import nav, waiting


def library(request):
    user = getattr(request, "user", None)
    can = {cap.value: has_cap(user, cap) for cap in Cap} if user is not None else {}
    if not any(can.values()):
        return {"library_name": settings.LIBRARY_NAME, "can": can, "nav_items": [], "menu": None,
                "waiting_count": 0}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match is not None else ""
    return {
        "library_name": settings.LIBRARY_NAME,
        "can": can,
        "nav_items": nav.items_for(can),
        "menu": nav.menu_for(can, current),
        "waiting_count": waiting.count(request),
    }
