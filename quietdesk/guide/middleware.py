"""The language of a page comes from its URL prefix (/en/, /es/) and nothing else.

Django's LocaleMiddleware would also read a language cookie and the browser's
Accept-Language header. Patron pages need neither: the language is in the
address, so switching language sets no cookie and nothing about the visitor is
remembered. Every other page (the staff side) is in the default language.
"""

from django.conf import settings
from django.utils import translation


class PathLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from_path = translation.get_language_from_path(request.path_info)
        language = from_path or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if from_path:
            response.headers.setdefault("Content-Language", language)
        return response
