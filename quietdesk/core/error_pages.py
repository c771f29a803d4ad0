"""Error pages that say nothing about the request (no paths, no values, no names)."""

from django.shortcuts import render


def _page(request, status, title, text):
    return render(request, "core/error.html", {"title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "Something in that request was not right", "Go back and try again.")


def forbidden(request, exception=None):
    return _page(request, 403, "Not part of your role", "Ask the person in charge if you need this.")


def not_found(request, exception=None):
    return _page(request, 404, "Not found", "There is nothing here, or it is not yours to see.")


def server_error(request):
    return _page(request, 500, "Something went wrong", "Nothing was saved. Please try again, or tell the person in charge.")
