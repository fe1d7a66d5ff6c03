import datetime

from django.urls import reverse

from trajectoires.evaluation.selection_rounds import round_create
from trajectoires.evaluation.stories import domain_save, period_save, story_create

from . import RecordCase


def _story(territory, visibility, author):
    """A story of change told with its teller's consent (without it, it could only be private)."""
    return story_create(
        actor=author,
        territory=territory,
        period=period_save(
            actor=author,
            territory=territory,
            label="Printemps 2026",
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 6, 30),
        ),
        domain=domain_save(actor=author, territory=territory, name="Vie quotidienne"),
        title=f"La cantine a changé nos menus ({visibility})",
        teller_name="Sonia",
        anonymous=False,
        consent_given=True,
        collector="Léa, chargée de mission",
        collected_on=datetime.date(2026, 4, 2),
        what_happened="Les maraîchers livrent la cantine chaque semaine.",
        why_significant="Mes enfants mangent ce que je cultive.",
        visibility=visibility,
    )


def _round(territory, visibility, author):
    """A selection round of the given visibility, over a public story."""
    story = _story(territory, "public", author)
    return round_create(
        actor=author,
        territory=territory,
        period=story.period,
        panel="Maire, DGS, deux habitantes",
        held_on=datetime.date(2026, 7, 3),
        considered=[story],
        selected=story,
        reasons=f"Un lien nouveau entre producteurs et familles ({visibility}).",
        visibility=visibility,
    )


CASES = [
    RecordCase(
        name="story of change",
        create=_story,
        read_url=lambda story: reverse("stories:detail", args=[story.territory.slug, story.pk]),
        write_url=lambda story: reverse("stories:edit", args=[story.territory.slug, story.pk]),
        api_url=lambda story: f"/api/v1/territories/{story.territory.slug}/stories/{story.pk}",
        title=lambda story: story.title,
    ),
    RecordCase(
        name="selection round",
        create=_round,
        read_url=lambda selection: reverse("stories:round", args=[selection.territory.slug, selection.pk]),
        write_url=lambda selection: reverse(
            "stories:round_edit", args=[selection.territory.slug, selection.pk]
        ),
        api_url=lambda selection: (
            f"/api/v1/territories/{selection.territory.slug}/selection-rounds/{selection.pk}"
        ),
        title=lambda selection: selection.reasons,
        api_text=lambda body: body.get("reasons"),
    ),
]
