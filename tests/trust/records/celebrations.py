import datetime

from django.urls import reverse

from trajectoires.steering.celebrations import celebration_create

from . import RecordCase

CASES = [
    RecordCase(
        name="celebration",
        create=lambda territory, visibility, author: celebration_create(
            actor=author,
            territory=territory,
            title=f"Première récolte du verger ({visibility})",
            achieved_on=datetime.date(2026, 9, 12),
            achievement="Deux tonnes de pommes pour les cantines.",
            participants="Les bénévoles du verger, l'école.",
            visibility=visibility,
        ),
        read_url=lambda celebration: reverse(
            "celebrations:detail", args=[celebration.territory.slug, celebration.pk]
        ),
        write_url=lambda celebration: reverse(
            "celebrations:edit", args=[celebration.territory.slug, celebration.pk]
        ),
        api_url=lambda celebration: (
            f"/api/v1/territories/{celebration.territory.slug}/celebrations/{celebration.pk}"
        ),
        title=lambda celebration: celebration.title,
    ),
]
