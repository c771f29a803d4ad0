from django.conf import settings

from quietdesk.staff.roles import Cap, has_cap

from . import nav


def library(request):
    user = getattr(request, "user", None)
    can = {cap.value: has_cap(user, cap) for cap in Cap} if user is not None else {}
    return {
        "library_name": settings.LIBRARY_NAME,
        "can": can,
        "nav_items": nav.items_for(can) if can else [],
    }
