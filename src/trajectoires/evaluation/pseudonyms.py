"""Pseudonyms of the diagnostic's interviews: every export names an interview by its number, and
the names of the people met are replaced by it wherever they appear (sections and notes)."""

import re
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from .models import Interview

# Particles of French and European names, too common to be hidden on their own.
PARTICLES = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "d",
    "l",
    "van",
    "von",
    "der",
    "den",
    "di",
    "da",
    "del",
    "y",
}


def interview_label(interview: Interview) -> str:
    return _("Interview no. %(number)s") % {"number": interview.number}


def _name_patterns(name: str) -> list[str]:
    """The whole name first, then each of its capitalised words (a first name alone, a surname
    alone) — not the common words of an actor named by a function (« La chercheuse en sociologie »)."""
    words = [
        word
        for word in re.split(r"[\s\-’']+", name)
        if len(word) > 1 and word[0].isupper() and word.lower() not in PARTICLES
    ]
    return [name, *sorted(set(words), key=len, reverse=True)]


def pseudonymiser(interviews: Iterable[Interview]) -> Callable[[str], str]:
    """A function that replaces, in a text, the name of each person met (whole, or any of its words,
    in any case) by their interview's label."""
    replacements: list[tuple[re.Pattern, str]] = []
    for interview in interviews:
        person = interview.interviewee
        if person is None or person.erased_at is not None:
            continue
        label = interview_label(interview)
        for part in _name_patterns(person.name.strip()):
            replacements.append((re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE), label))

    def hide(text: str) -> str:
        for pattern, label in replacements:
            text = pattern.sub(label, text)
        return text

    return hide
