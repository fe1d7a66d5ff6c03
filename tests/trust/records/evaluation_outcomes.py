import datetime

from django.urls import reverse

from trajectoires.evaluation.outcomes import outcome_create

from . import RecordCase

CASES = [
    RecordCase(
        name="outcome",
        create=lambda territory, visibility, author: outcome_create(
            actor=author,
            territory=territory,
            who=f"Maraîchers du secteur ({visibility})",
            change_kind="practice",
            description="Ils livrent la cantine scolaire en circuit court.",
            observed_on=datetime.date(2025, 6, 12),
            significance="La moitié des repas servis est désormais locale.",
            contribution="La régie agricole a formé les maraîchers.",
            valence="positive",
            visibility=visibility,
        ),
        read_url=lambda outcome: reverse("outcomes:detail", args=[outcome.territory.slug, outcome.pk]),
        write_url=lambda outcome: reverse("outcomes:edit", args=[outcome.territory.slug, outcome.pk]),
        api_url=lambda outcome: f"/api/v1/territories/{outcome.territory.slug}/outcomes/{outcome.pk}",
        title=lambda outcome: outcome.who,
        api_text=lambda body: body.get("who"),
    ),
]
