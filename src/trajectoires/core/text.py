"""Text folding for search: accents, case, hyphens and apostrophes do not matter."""

import re
import unicodedata
from collections.abc import Callable

from django.utils.text import slugify

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """'Saint-Étienne' and 'saint etienne' both give 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return _SEPARATORS.sub(" ", bare).strip()


def unique_slug(name: str, *, taken: Callable[[str], bool], fallback: str, max_length: int = 200) -> str:
    """A slug for `name` that `taken` does not already hold: 'pays-test', then 'pays-test-2'…"""
    base = slugify(name)[:max_length] or fallback
    slug, counter = base, 2
    while taken(slug):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
