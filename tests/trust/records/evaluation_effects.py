import datetime

from django.urls import reverse

from trajectoires.evaluation.effects import effect_save
from trajectoires.evaluation.stories import domain_save, period_save, story_create
from trajectoires.referential.selectors import referential_item

from . import RecordCase


def _assessment(territory, visibility, author):
    """The posture effect of a period, of the given visibility, on a public story of change."""
    period = period_save(
        actor=author,
        territory=territory,
        label="Printemps 2026",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    story = story_create(
        actor=author,
        territory=territory,
        period=period,
        domain=domain_save(actor=author, territory=territory, name="Vie quotidienne"),
        title="La cantine a changé nos menus",
        teller_name="Sonia",
        consent_given=True,
        collector="Léa, chargée de mission",
        collected_on=datetime.date(2026, 4, 2),
        what_happened="Les maraîchers livrent la cantine chaque semaine.",
        why_significant="Mes enfants mangent ce que je cultive.",
        visibility="public",
    )
    return effect_save(
        actor=author,
        territory=territory,
        period=period,
        effect=referential_item("systemic_effect", "posture"),
        level="growing",
        reasoning=f"Les élus co-construisent désormais les arbitrages ({visibility}).",
        stories=[story],
        visibility=visibility,
    )


CASES = [
    RecordCase(
        name="systemic effect assessment",
        create=_assessment,
        read_url=lambda assessment: reverse(
            "effects:detail", args=[assessment.territory.slug, assessment.pk]
        ),
        write_url=lambda assessment: reverse("effects:edit", args=[assessment.territory.slug, assessment.pk]),
        api_url=lambda assessment: f"/api/v1/territories/{assessment.territory.slug}/effects/{assessment.pk}",
        title=lambda assessment: assessment.reasoning,
        api_text=lambda body: body.get("reasoning"),
    ),
]
