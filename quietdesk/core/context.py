from django.conf import settings

from quietdesk.staff.roles import Cap, has_cap


def library(request):
    user = getattr(request, "user", None)
    return {
        "library_name": settings.LIBRARY_NAME,
        "can": {cap.value: has_cap(user, cap) for cap in Cap} if user is not None else {},
    }
