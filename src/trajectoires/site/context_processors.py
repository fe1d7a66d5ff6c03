from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def languages(request):
    """Links to the same page in each language, for the language switch."""
    current = get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
            for code, name in [("fr", "Français"), ("en", "English")]
            if code in dict(settings.LANGUAGES)
        ]
    }
