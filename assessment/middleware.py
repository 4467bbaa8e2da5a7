from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant


class LanguageMiddleware:
    """Simplified Chinese unless the reader chose otherwise (the language cookie).

    Browsers in government offices often announce English; the product's default is Chinese,
    so Accept-Language is honoured only by API clients, which ask for a language on purpose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not chosen and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        try:
            language = get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
