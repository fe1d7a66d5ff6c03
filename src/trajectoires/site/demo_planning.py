"""The demo steering layer: for each demo territory, the planning documents that bind it (the
SRADDET of its région and the SCoT and PCAET of its intercommunality, shared by the demo territories
inside them, plus its own urbanism plan and food project), a coherence matrix with at least one
contradiction, the actions of its trajectory, and pilots at every stage of test and adjust.

Demonstration content throughout (every text says so; dates are indicative). Loaded through the
same services as the pages, so every write is audited; a territory that has pilots is left as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.geo.enums import AreaKind
from trajectoires.geo.models import Area
from trajectoires.planning.actions import action_create
from trajectoires.planning.coherence import coherence_assess
from trajectoires.planning.documents import document_create
from trajectoires.planning.iterations import iteration_record
from trajectoires.planning.models import PlanningDocument
from trajectoires.planning.pilots import pilot_create
from trajectoires.planning.sheets import sheet_publish, sheet_save
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Orientation
from trajectoires.territories.models import Territory

from .demo_workspace import PLACES

DEMO = "Démonstration."


@dataclass(frozen=True)
class DocumentPlan:
    type_code: str
    scale: str  # "region", or "local" (the territory's own area: its commune or its intercommunality)
    status: str
    adopted: tuple[int, int, int] | None
    review_in_days: int | None  # from today, so "due for review" keeps its meaning in the demo
    coherence: tuple[str, ...]  # value for orientations 1, 2, 3 ("" : not assessed yet)


DOCUMENTS = [
    DocumentPlan("sraddet", "region", "adopted", (2020, 4, 10), 900, ("coherent", "neutral", "coherent")),
    DocumentPlan(
        "scot", "epci", "under_revision", (2017, 6, 30), 120, ("contradictory", "coherent", "neutral")
    ),
    DocumentPlan("pcaet", "epci", "adopted", (2021, 3, 25), -30, ("neutral", "coherent", "coherent")),
    DocumentPlan("plu", "local", "adopted", (2019, 11, 18), 1500, ("coherent", "neutral", "contradictory")),
    DocumentPlan("pat", "local", "in_preparation", None, None, ("coherent", "neutral", "")),
]
SHORT_NAMES = {
    "sraddet": "SRADDET",
    "scot": "SCoT",
    "pcaet": "PCAET",
    "plu": "PLU",
    "plui": "PLUi",
    "pat": "PAT",
}
REASONS = {
    "coherent": "{document} soutient l'orientation « {orientation} » : ses objectifs vont dans le même sens.",
    "neutral": "{document} ne traite pas directement de l'orientation « {orientation} ».",
    "contradictory": "{document} ouvre encore des terres agricoles et naturelles à l'urbanisation, ce qui va "
    "à l'encontre de l'orientation « {orientation} ». À instruire lors de la prochaine révision.",
}
# title ({orientation}: the orientation it serves), orientation index or None, status, owner, others, budget
ACTIONS = [
    ("Programme d'actions 2026-2028 : {orientation}", 0, "in_progress", "Transition écologique",
     ("Urbanisme", "Développement économique"), Decimal("120000")),
    ("Groupe de travail inter-services : {orientation}", 0, "planned", "Direction générale",
     ("Transition écologique", "Action sociale"), None),
    ("Étude de faisabilité : {orientation}", 1, "completed", "Urbanisme", (), Decimal("35000")),
    ("Refonte du site internet de la collectivité", None, "in_progress", "Communication", (),
     Decimal("18000")),
]  # fmt: skip
# title, hypothesis, scope, start, visibility, iterations: (days after start, decision), lessons, sheet
PILOTS = [
    ("Une rue scolaire sans voitures", "Fermer la rue de l'école aux voitures aux heures d'entrée et de "
     "sortie rend le trajet plus sûr et donne envie de venir à pied.", "Une école, une rue, un trimestre.",
     (2026, 3, 2), "public", (("continue", 60),), "", False),
    ("Un composteur partagé par quartier", "Un composteur tenu par des habitants volontaires réduit les "
     "déchets et crée du lien.", "Deux quartiers, vingt foyers chacun.", (2025, 4, 1), "public",
     (("continue", 90), ("adjust", 210)), "", False),
    ("Une épicerie solidaire itinérante", "Une épicerie qui se déplace dans les hameaux rend les produits "
     "locaux accessibles aux foyers modestes.", "Trois hameaux, un jour par semaine.", (2024, 9, 2),
     "public", (("adjust", 90), ("continue", 240), ("scale_up", 420)),
     "Le camion doit passer à heure fixe ; les producteurs veulent être payés sous huit jours.", True),
    ("Des navettes à la demande le dimanche", "Des navettes réservées la veille remplacent la voiture "
     "pour les sorties du dimanche.", "Une ligne, six mois.", (2024, 10, 6), "partners",
     (("adjust", 75), ("stop", 180)),
     "Trop peu de réservations : le besoin du dimanche était surtout celui des aînés, que le "
     "transport solidaire du mercredi sert mieux.", False),
]  # fmt: skip
SHEET = {
    "context": "Hameaux éloignés des commerces, foyers modestes, producteurs locaux prêts à vendre "
    "en direct.",
    "prerequisites": "Un camion aménagé, une association porteuse, l'accord des producteurs et du CCAS.",
    "costs": "Environ 40 000 € d'investissement et un demi-poste d'animation la première année.",
    "pitfalls": "Des horaires irréguliers font fuir la clientèle ; prévoir le paiement rapide des "
    "producteurs.",
    "contacts": "Le service Action sociale de la collectivité (démonstration).",
}


def planning_load() -> list[str]:
    """Create the steering layer of each demo territory that has no pilot yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.pilots.exists():
            continue
        author = get_user_model().objects.get(email=place.admin)
        orientations = list(Orientation.objects.filter(vision__territory=territory).order_by("position"))
        documents = _documents(territory, author)
        _coherence(territory, author, documents, orientations)
        _actions(territory, author, orientations)
        _pilots(territory, author, orientations)
        created.append(f"planning of {place.territory}")
    return created


def _writers(territory: Territory) -> dict[str, Area]:
    """The areas that write the territory's documents: its région, its intercommunality, its own."""
    perimeter = list(territory.areas.order_by("name"))
    own = perimeter[0]
    above = {area.kind: area for area in own.ancestors.order_by("name")}
    epci = own if own.kind == AreaKind.EPCI else above[AreaKind.EPCI]
    return {"region": above[AreaKind.REGION], "epci": epci, "local": own}


def _documents(territory: Territory, author) -> list[PlanningDocument]:
    today = timezone.localdate()
    types = {item.code: item for item in referential_items("planning_document_type")}
    writers = _writers(territory)
    documents = []
    for plan in DOCUMENTS:
        code = (
            "plui" if plan.type_code == "plu" and writers["local"].kind == AreaKind.EPCI else plan.type_code
        )
        writer = writers[plan.scale]
        shared = PlanningDocument.objects.filter(doc_type=types[code], writer=writer).first()
        if shared is not None:  # recorded by another demo territory inside the same area
            documents.append(shared)
            continue
        documents.append(
            document_create(
                actor=author,
                territory=territory,
                doc_type=types[code],
                title=f"{SHORT_NAMES[code]} — {writer.name}",
                writer=writer,
                status=plan.status,
                adopted_on=datetime.date(*plan.adopted) if plan.adopted else None,
                review_due_on=today + datetime.timedelta(days=plan.review_in_days)
                if plan.review_in_days is not None
                else None,
                summary=f"{DEMO} {types[code].label_fr} ; dates indicatives.",
                visibility="public",
            )
        )
    return documents


def _coherence(territory, author, documents: list[PlanningDocument], orientations: list[Orientation]) -> None:
    for plan, document in zip(DOCUMENTS, documents, strict=True):
        for value, orientation in zip(plan.coherence, orientations, strict=False):
            if value:
                reason = REASONS[value].format(document=document.title, orientation=orientation.title)
                coherence_assess(
                    actor=author,
                    territory=territory,
                    document=document,
                    orientation=orientation,
                    value=value,
                    reason=f"{DEMO} {reason}",
                )


def _actions(territory, author, orientations: list[Orientation]) -> None:
    for title, index, status, owner, others, budget in ACTIONS:
        serves = [orientations[index]] if index is not None and index < len(orientations) else []
        action_create(
            actor=author,
            territory=territory,
            title=title.format(orientation=serves[0].title if serves else ""),
            description=f"{DEMO} Une action de la trajectoire du territoire.",
            owner_service=owner,
            services=others,
            status=status,
            starts_on=datetime.date(2026, 1, 5),
            ends_on=datetime.date(2028, 12, 31),
            budget=budget,
            orientations=serves,
            visibility="public",
        )


def _pilots(territory, author, orientations: list[Orientation]) -> None:
    for title, hypothesis, scope, start, visibility, iterations, lessons, sheet in PILOTS:
        started = datetime.date(*start)
        pilot = pilot_create(
            actor=author,
            territory=territory,
            title=f"{title} (démonstration)",
            hypothesis=hypothesis,
            scope=scope,
            started_on=started,
            orientations=orientations[:1],
            visibility=visibility,
        )
        for decision, days in iterations:
            iteration_record(
                actor=author,
                pilot=pilot,
                held_on=started + datetime.timedelta(days=days),
                tried=f"{DEMO} Ce qui a été essayé pendant cette période.",
                observed=f"{DEMO} Ce que les habitants et les services ont observé.",
                evidence="Compte rendu du comité de suivi (démonstration).",
                decision=decision,
                adjustment=f"{DEMO} La décision du comité de suivi et ses raisons.",
                lessons=lessons if decision in ("stop", "scale_up") else "",
            )
        if sheet:
            sheet_save(actor=author, pilot=pilot, **SHEET)
            sheet_publish(actor=author, pilot=pilot)
