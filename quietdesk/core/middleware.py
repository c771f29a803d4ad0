class NoStoreMiddleware:
    """Nothing a signed-in member of staff sees may be kept by a browser or proxy cache.

    Applied to every response but static files: patron data can appear on any
    staff page, and shared desk computers keep caches between users.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class RouteForServerLogMiddleware:
    """Tells gunicorn's access log the route a request matched, not the path it carried.

    The WSGI environ is ``request.META``; quietdesk/core/serverlog.py reads the route
    from it after the response. First in MIDDLEWARE so that its ``process_view`` runs
    even when a later middleware answers instead of the view (a sign-in redirect).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .serverlog import ROUTE_KEY

        request.META[ROUTE_KEY] = "/" + (request.resolver_match.route or "")
