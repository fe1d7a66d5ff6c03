from django.urls import reverse

from trajectoires.cooperation.actors import actor_create
from trajectoires.referential.selectors import referential_item

from . import RecordCase


def _actor(territory, visibility, author, *, kind, name):
    return actor_create(
        actor=author,
        territory=territory,
        kind=kind,
        name=f"{name} ({visibility})",
        category=referential_item("actor_category", "socio_economique"),
        email="contact@example.org",
        visibility=visibility,
    )


def _case(name, kind, label, history_text):
    return RecordCase(
        name=name,
        create=lambda territory, visibility, author: _actor(
            territory, visibility, author, kind=kind, name=label
        ),
        read_url=lambda actor: reverse("actors:detail", args=[actor.territory.slug, actor.pk]),
        write_url=lambda actor: reverse("actors:edit", args=[actor.territory.slug, actor.pk]),
        api_url=lambda actor: f"/api/v1/territories/{actor.territory.slug}/actors/{actor.pk}",
        title=lambda actor: actor.name,
        api_text=lambda body: body.get("name"),
        history_text=history_text,
    )


CASES = [
    _case("actor", "organisation", "Coopérative Énergie", lambda actor: actor.name),
    # A person's history of changes names the kind of record, never the person.
    _case("actor (person)", "person", "Camille Dupont", lambda actor: "cooperation.actor"),
]
