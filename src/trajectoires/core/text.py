"""Text folding for search: accents, case, hyphens and apostrophes do not matter."""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """'Saint-Étienne' and 'saint etienne' both give 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return _SEPARATORS.sub(" ", bare).strip()
