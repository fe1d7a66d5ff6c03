"""Reads of the actor map, always through the viewer's visibility.

An actor's organisation is shown only to those who may read that organisation too: each actor
carries `organisation_visible`, computed in the same query.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .models import Actor, ActorKind

CATEGORY_GRID = "actor_category"


@dataclass(frozen=True)
class CategoryCount:
    category: Item
    count: int

    @property
    def fantastique(self) -> bool:
        return bool(self.category.extra.get("fantastique"))


@dataclass(frozen=True)
class FantasticFour:
    """Are the « 4 Fantastiques » categories (élus, agents, État territorial, socio-economic actors)
    all in the map?"""

    present: list[Item]
    missing: list[Item]

    @property
    def complete(self) -> bool:
        return bool(self.present) and not self.missing


def actors_of(viewer, territory: Territory) -> QuerySet[Actor]:
    """The territory's actors as `viewer` may read them, by name."""
    organisation_visible = Exists(visible_to(Actor.objects.filter(pk=OuterRef("organisation_id")), viewer))
    return (
        readable_actors(viewer, territory)
        .select_related("category", "organisation", "territory")
        .annotate(organisation_visible=organisation_visible)
        .order_by("name", "id")
    )


def actor_list(
    viewer, territory: Territory, *, category: str = "", kind: str = "", query: str = ""
) -> QuerySet[Actor]:
    """The actors filtered by category code, kind and a part of their name."""
    actors = actors_of(viewer, territory)
    if category:
        actors = actors.filter(category__code=category)
    if kind:
        actors = actors.filter(kind=kind)
    if query.strip():
        actors = actors.filter(name__icontains=query.strip())
    return actors


def access_actor(viewer, territory: Territory, pk: int) -> Actor:
    """The actor, or the same 404 whether it does not exist or `viewer` may not read it."""
    actor = actors_of(viewer, territory).select_related("user").filter(pk=pk).first()
    if actor is None:
        raise Http404
    return actor


def category_counts(viewer, territory: Territory) -> list[CategoryCount]:
    """Every actor category of the référentiel with the number of actors `viewer` may read in it
    (two queries, whatever the number of actors)."""
    counts = dict(
        readable_actors(viewer, territory)
        .values_list("category__code")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [CategoryCount(item, counts.get(item.code, 0)) for item in referential_items(CATEGORY_GRID)]


def fantastic_four(counts: list[CategoryCount]) -> FantasticFour:
    present = [row.category for row in counts if row.fantastique and row.count]
    missing = [row.category for row in counts if row.fantastique and not row.count]
    return FantasticFour(present, missing)


def organisations_of(viewer, territory: Territory) -> QuerySet[Actor]:
    """The organisations an actor of the territory may belong to, as `viewer` may read them."""
    return readable_actors(viewer, territory).filter(kind=ActorKind.ORGANISATION).order_by("name", "id")


def members_of(viewer, organisation: Actor) -> QuerySet[Actor]:
    members = Actor.objects.filter(organisation=organisation).select_related("category")
    return visible_to(members, viewer).order_by("name", "id")


def nameable_actors(viewer, territory: Territory) -> QuerySet[Actor]:
    """The actors `viewer` may name in a record (a member, a party, who changed, a witness): the
    territory's, not erased, that they may read, by name, with their category."""
    return (
        readable_actors(viewer, territory)
        .filter(erased_at__isnull=True)
        .select_related("category")
        .order_by("name", "id")
    )


def readable_actors(viewer, territory: Territory) -> QuerySet[Actor]:
    """The territory's actors `viewer` may read (no order, nothing fetched): the one filter every
    record that names actors (pilots, spaces, trainings…) starts from."""
    return visible_to(Actor.objects.filter(territory=territory), viewer)
