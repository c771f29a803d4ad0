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
