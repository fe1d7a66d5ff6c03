import datetime
from decimal import Decimal

from django.urls import reverse

from trajectoires.governance.capacity import training_create

from . import RecordCase

CASES = [
    RecordCase(
        name="training",
        create=lambda territory, visibility, author: training_create(
            actor=author,
            territory=territory,
            title=f"Conduire le changement ({visibility})",
            held_on=datetime.date(2026, 3, 12),
            hours=Decimal("7"),
            organisation="CNFPT",
            change_management=True,
            visibility=visibility,
        ),
        read_url=lambda training: reverse("capacity:training", args=[training.territory.slug, training.pk]),
        write_url=lambda training: reverse(
            "capacity:training_edit", args=[training.territory.slug, training.pk]
        ),
        api_url=lambda training: f"/api/v1/territories/{training.territory.slug}/trainings/{training.pk}",
        title=lambda training: training.title,
    ),
]
