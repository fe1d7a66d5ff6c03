import datetime
from decimal import Decimal

from django.urls import reverse

from trajectoires.planning.actions import action_create

from . import RecordCase

CASES = [
    RecordCase(
        name="action",
        create=lambda territory, visibility, author: action_create(
            actor=author,
            territory=territory,
            title=f"Cantine 100 % bio et locale ({visibility})",
            description="Approvisionner la cantine scolaire auprès des maraîchers de la régie agricole.",
            owner_service="Restauration scolaire",
            services=["Régie agricole"],
            status="in_progress",
            starts_on=datetime.date(2026, 1, 5),
            ends_on=datetime.date(2027, 6, 30),
            budget=Decimal("45000"),
            visibility=visibility,
        ),
        read_url=lambda action: reverse("trajectory:action", args=[action.territory.slug, action.pk]),
        write_url=lambda action: reverse("trajectory:edit", args=[action.territory.slug, action.pk]),
        api_url=lambda action: f"/api/v1/territories/{action.territory.slug}/actions/{action.pk}",
        title=lambda action: action.title,
    ),
]
