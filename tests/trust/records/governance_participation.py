import datetime

from django.urls import reverse

from trajectoires.governance.decisions import decision_create
from trajectoires.governance.spaces import space_create
from trajectoires.referential.selectors import referential_item

from . import RecordCase

CASES = [
    RecordCase(
        name="participation space",
        create=lambda territory, visibility, author: space_create(
            actor=author,
            territory=territory,
            name=f"Conseil des mobilités ({visibility})",
            kind="council",
            purpose="Co-construire le plan vélo.",
            visibility=visibility,
        ),
        read_url=lambda space: reverse("participation:space", args=[space.territory.slug, space.pk]),
        write_url=lambda space: reverse("participation:space_edit", args=[space.territory.slug, space.pk]),
        api_url=lambda space: f"/api/v1/territories/{space.territory.slug}/spaces/{space.pk}",
        title=lambda space: space.name,
        api_text=lambda body: body.get("name"),
    ),
    RecordCase(
        name="decision",
        create=lambda territory, visibility, author: decision_create(
            actor=author,
            territory=territory,
            title=f"Plan vélo co-construit ({visibility})",
            decided_on=datetime.date(2026, 1, 15),
            participation_level=referential_item("participation_level", "co_construct"),
            co_construction_started_on=datetime.date(2025, 3, 10),
            visibility=visibility,
        ),
        read_url=lambda decision: reverse(
            "participation:decision", args=[decision.territory.slug, decision.pk]
        ),
        write_url=lambda decision: reverse(
            "participation:decision_edit", args=[decision.territory.slug, decision.pk]
        ),
        api_url=lambda decision: f"/api/v1/territories/{decision.territory.slug}/decisions/{decision.pk}",
        title=lambda decision: decision.title,
    ),
]
