from django.urls import reverse

from trajectoires.governance.controversies import controversy_report

from . import RecordCase

CASES = [
    RecordCase(
        name="controversy",
        create=lambda territory, visibility, author: controversy_report(
            actor=author,
            territory=territory,
            subject=f"Extension de la zone artisanale ({visibility})",
            description="Dix hectares de terres agricoles en jeu.",
            visibility=visibility,
        ),
        read_url=lambda controversy: reverse(
            "controversies:detail", args=[controversy.territory.slug, controversy.pk]
        ),
        write_url=lambda controversy: reverse(
            "controversies:edit", args=[controversy.territory.slug, controversy.pk]
        ),
        api_url=lambda controversy: (
            f"/api/v1/territories/{controversy.territory.slug}/controversies/{controversy.pk}"
        ),
        title=lambda controversy: controversy.subject,
        api_text=lambda body: body.get("subject"),
    ),
]
