from django.urls import reverse

from trajectoires.evaluation.effects import indicator_save

from . import RecordCase

CASES = [
    RecordCase(
        name="indicator",
        create=lambda territory, visibility, author: indicator_save(
            actor=author,
            territory=territory,
            name=f"Émissions du territoire ({visibility})",
            unit="tco2e",
            description="Bilan carbone du territoire, hors industrie.",
            visibility=visibility,
        ),
        read_url=lambda indicator: reverse(
            "indicators:detail", args=[indicator.territory.slug, indicator.pk]
        ),
        write_url=lambda indicator: reverse("indicators:edit", args=[indicator.territory.slug, indicator.pk]),
        api_url=lambda indicator: f"/api/v1/territories/{indicator.territory.slug}/indicators/{indicator.pk}",
        title=lambda indicator: indicator.name,
        api_text=lambda body: body.get("name"),
    ),
]
