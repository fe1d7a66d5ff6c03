import datetime

from django.urls import reverse

from trajectoires.steering.narratives import narrative_create

from . import RecordCase

CASES = [
    RecordCase(
        name="narrative",
        create=lambda territory, visibility, author: narrative_create(
            actor=author,
            territory=territory,
            title=f"Le village nourricier raconté ({visibility})",
            body="Une exposition de photographies des jardins.",
            format="exhibition",
            audience="Les habitants",
            told_on=datetime.date(2026, 6, 20),
            visibility=visibility,
        ),
        read_url=lambda narrative: reverse(
            "narratives:detail", args=[narrative.territory.slug, narrative.pk]
        ),
        write_url=lambda narrative: reverse("narratives:edit", args=[narrative.territory.slug, narrative.pk]),
        api_url=lambda narrative: f"/api/v1/territories/{narrative.territory.slug}/narratives/{narrative.pk}",
        title=lambda narrative: narrative.title,
    ),
]
