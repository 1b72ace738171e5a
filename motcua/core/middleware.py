"""Vietnamese first: the interface is Vietnamese unless the visitor chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, so a kiosk or an office PC set up in English
would show English. Here only an explicit choice (the language switch, which sets the language cookie)
changes the language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
