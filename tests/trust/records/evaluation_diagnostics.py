from django.urls import reverse

from trajectoires.evaluation.diagnostics import diagnostic_create

from . import RecordCase

CASES = [
    RecordCase(
        name="diagnostic sensible",
        create=lambda territory, visibility, author: diagnostic_create(
            actor=author,
            territory=territory,
            title=f"Diagnostic sensible du territoire ({visibility})",
            visibility=visibility,
            context_history="Une ancienne cité minière qui a connu la fermeture des puits.",
        ),
        read_url=lambda diagnostic: reverse(
            "diagnostics:detail", args=[diagnostic.territory.slug, diagnostic.pk]
        ),
        write_url=lambda diagnostic: reverse(
            "diagnostics:edit", args=[diagnostic.territory.slug, diagnostic.pk]
        ),
        api_url=lambda diagnostic: (
            f"/api/v1/territories/{diagnostic.territory.slug}/diagnostics/{diagnostic.pk}"
        ),
        title=lambda diagnostic: diagnostic.title,
    ),
]
