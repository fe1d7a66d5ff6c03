"""The diagnostic sensible, through its services: written, moved through its statuses, shared with a
funder; interviews recorded with their consent, read by the allowed people only, pseudonymised in
every export, erased on request without breaking the diagnostic; the trail never holds a name or a
note. The helpers here (`a_diagnostic`, `an_interview`, `complete`) serve the page and API tests."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.trust.world import build_world
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import (
    access_diagnostic,
    can_read_notes,
    diagnostic_create,
    diagnostic_export,
    diagnostic_interviews,
    diagnostic_move,
    diagnostic_share,
    diagnostic_update,
    interview_add,
    interview_erase,
    interview_update,
    note_readers_set,
    readable_diagnostics,
)
from trajectoires.evaluation.models import Diagnostic, DiagnosticShare, Interview
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MET = datetime.date(2026, 3, 12)
SECTIONS = {
    "context_history": "Une ancienne cité minière qui a connu la fermeture des puits.",
    "actors_relations": "Jeanne Martin, agricultrice, relie les maraîchers et la cantine.",
    "perceptions": "La transition est vue comme une affaire de la mairie.",
    "blockages": "Les services travaillent en silos.",
    "narratives": "Le récit de la « ville pionnière » rassemble.",
    "dynamics_levers": "La régie agricole est un levier ; Martin y croit.",
}


@pytest.fixture
def world():
    return build_world()


def a_diagnostic(world, visibility="private", **sections):
    return diagnostic_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Diagnostic sensible 2026",
        visibility=visibility,
        **sections,
    )


def a_person(world, name="Jeanne Martin"):
    category = referential_item("actor_category", "socio_economique")
    return actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="person",
        name=name,
        category=category,
        visibility="private",
    )


def an_interview(world, diagnostic, by="admin", **values):
    values.setdefault("profile", "Agricultrice, la cinquantaine")
    return interview_add(
        actor=world.people[by],
        diagnostic=diagnostic,
        interviewed_on=values.pop("interviewed_on", MET),
        interviewer="Léa, chargée de mission",
        **values,
    )


def complete(world, diagnostic):
    interview_kwargs = {"notes": "Elle parle de la cantine."}
    an_interview(world, diagnostic, **interview_kwargs)
    diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="in_progress")
    return diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="completed")


def test_a_diagnostic_is_written_by_the_writers_and_audited_without_its_text(world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    assert (diagnostic.status, diagnostic.blockages) == ("draft", "Les services travaillent en silos.")
    entry = AuditEntry.objects.get(action="diagnostic.create")
    assert entry.changes["blockages_length"] == [None, 34]
    assert "silos" not in json.dumps(entry.changes)
    for role in ("contributor", "viewer", "partner_funder"):
        with pytest.raises(PermissionDenied):
            diagnostic_create(actor=world.people[role], territory=world.territory, title="Non")
    assert Diagnostic.objects.count() == 1


def test_completing_needs_every_section_and_an_interview(world):
    diagnostic = a_diagnostic(world, context_history="Une cité minière.")
    diagnostic_move(actor=world.people["editor"], diagnostic=diagnostic, to="in_progress")
    with pytest.raises(ValidationError) as error:
        diagnostic_move(actor=world.people["editor"], diagnostic=diagnostic, to="completed")
    assert error.value.message_dict == {
        "actors_relations": ["Écrivez la section « Acteurs et relations » avant de terminer le diagnostic."],
        "perceptions": ["Écrivez la section « Perceptions » avant de terminer le diagnostic."],
        "blockages": ["Écrivez la section « Blocages » avant de terminer le diagnostic."],
        "narratives": ["Écrivez la section « Récits à l’œuvre » avant de terminer le diagnostic."],
        "dynamics_levers": ["Écrivez la section « Dynamiques et leviers » avant de terminer le diagnostic."],
        "interviews": ["Enregistrez au moins un entretien avant de terminer le diagnostic."],
    }
    assert Diagnostic.objects.get().status == "in_progress"


def test_the_life_of_a_diagnostic(world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    with pytest.raises(ValidationError) as error:
        diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="validated")
    assert error.value.message_dict == {
        "status": ["Un diagnostic ne peut pas passer de « Brouillon » à « Validé par l’équipe »."]
    }
    complete(world, diagnostic)
    assert (diagnostic.status, diagnostic.completed_on) == ("completed", TODAY)
    with pytest.raises(ValidationError) as error:
        diagnostic_update(actor=world.people["admin"], diagnostic=diagnostic, blockages="Autre chose.")
    assert error.value.message_dict == {
        "status": ["Ce diagnostic est terminé : rouvrez-le pour le modifier."]
    }
    with pytest.raises(ValidationError) as error:
        diagnostic_move(actor=world.people["editor"], diagnostic=diagnostic, to="validated")
    assert error.value.message_dict == {
        "status": ["Seul l’administrateur du territoire valide le diagnostic ou le rouvre une fois validé."]
    }
    diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="validated")
    stored = Diagnostic.objects.get()
    assert (stored.status, stored.validated_on, stored.validated_by) == (
        "validated",
        TODAY,
        world.people["admin"],
    )
    moves = [
        entry.changes["status"]
        for entry in AuditEntry.objects.filter(action="diagnostic.move").order_by("pk")
    ]
    assert moves == [["draft", "in_progress"], ["in_progress", "completed"], ["completed", "validated"]]


def test_an_interview_without_recorded_consent_cannot_be_quoted(world):
    diagnostic = a_diagnostic(world)
    with pytest.raises(ValidationError) as error:
        an_interview(world, diagnostic, publishable=True, notes="Notes")
    assert error.value.message_dict == {
        "publishable": [
            "Un entretien ne peut être cité qu’avec le consentement enregistré de la personne à être citée."
        ]
    }
    with pytest.raises(ValidationError) as error:
        an_interview(world, diagnostic, consent_given=True, consent_scope="team_only", publishable=True)
    assert error.value.message_dict == {
        "consent_recorded_on": ["Donnez la date à laquelle le consentement a été recueilli."],
        "publishable": [
            "Un entretien ne peut être cité qu’avec le consentement enregistré de la personne à être citée."
        ],
    }
    with pytest.raises(ValidationError) as error:
        an_interview(world, diagnostic, profile="", interviewed_on=TODAY + datetime.timedelta(days=1))
    assert error.value.message_dict == {
        "interviewee": [
            "Nommez la personne de la carte qui a été interrogée, ou décrivez un profil anonyme."
        ],
        "interviewed_on": [
            "Un entretien s’enregistre une fois mené : la date ne peut pas être dans le futur."
        ],
    }
    assert not Interview.objects.exists()
    quoted = an_interview(
        world,
        diagnostic,
        consent_given=True,
        consent_scope="quotable",
        consent_recorded_on=MET,
        publishable=True,
    )
    assert (quoted.number, quoted.publishable) == (1, True)


def test_interview_notes_are_read_by_the_allowed_people_only(world):
    diagnostic = a_diagnostic(world, visibility="partners")
    jeanne = a_person(world)
    an_interview(world, diagnostic, interviewee=jeanne, profile="", notes="Jeanne Martin raconte la cantine.")
    for role in ("editor", "viewer", "contributor", "partner_funder"):
        (view,) = diagnostic_interviews(world.people[role], diagnostic)
        assert (view.label, view.who, view.notes) == ("Entretien n° 1", "", None), role
        with pytest.raises(PermissionDenied):
            an_interview(world, diagnostic, by=role)
    note_readers_set(actor=world.people["admin"], diagnostic=diagnostic, users=[world.people["editor"]])
    (view,) = diagnostic_interviews(world.people["editor"], diagnostic)
    assert (view.who, view.notes) == ("Jeanne Martin", "Jeanne Martin raconte la cantine.")
    assert can_read_notes(world.people["editor"], diagnostic) and not can_read_notes(
        world.people["viewer"], diagnostic
    )
    with pytest.raises(ValidationError) as error:
        note_readers_set(
            actor=world.people["admin"], diagnostic=diagnostic, users=[world.people["member_elsewhere"]]
        )
    assert error.value.message_dict == {"note_readers": ["Choisissez des membres de ce territoire."]}
    assert list(diagnostic.note_readers.all()) == [world.people["editor"]]


def test_no_name_of_an_interviewee_appears_in_an_export(world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    jeanne = a_person(world)
    an_interview(world, diagnostic, profile="Élu rural")
    an_interview(
        world,
        diagnostic,
        interviewee=jeanne,
        profile="",
        notes="JEANNE MARTIN dit : « Martin, c’est moi ; Jeanne aussi. »",
    )
    exported = json.dumps(
        diagnostic_export(world.people["admin"], diagnostic), default=str, ensure_ascii=False
    )
    assert "jeanne" not in exported.lower() and "martin" not in exported.lower()
    export = diagnostic_export(world.people["admin"], diagnostic)
    assert (
        export["interviews"][1]["notes"]
        == "Entretien n° 2 dit : « Entretien n° 2, c’est moi ; Entretien n° 2 aussi. »"
    )
    assert (
        export["sections"][1]["text"] == "Entretien n° 2, agricultrice, relie les maraîchers et la cantine."
    )
    assert [
        interview["notes"]
        for interview in diagnostic_export(world.people["viewer"], diagnostic)["interviews"]
    ] == [None, None]


def test_an_erased_interview_keeps_its_place_and_loses_the_rest(world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    jeanne = a_person(world)
    interview = an_interview(
        world,
        diagnostic,
        interviewee=jeanne,
        profile="",
        notes="Jeanne parle.",
        consent_given=True,
        consent_scope="quotable",
        consent_recorded_on=MET,
        publishable=True,
    )
    diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="in_progress")
    diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="completed")
    interview_erase(actor=world.people["admin"], interview=interview)  # on request, even once finished
    diagnostic.refresh_from_db()
    exported = json.dumps(
        diagnostic_export(world.people["admin"], diagnostic), default=str, ensure_ascii=False
    )
    assert "jeanne" not in exported.lower() and "martin" not in exported.lower()  # the sections named her
    assert Diagnostic.objects.get().actors_relations == (
        "Entretien n° 1, agricultrice, relie les maraîchers et la cantine."
    )
    stored = Interview.objects.get()
    assert (
        stored.number,
        stored.interviewed_on,
        stored.interviewee,
        stored.profile,
        stored.notes,
        stored.publishable,
        stored.erased_on,
    ) == (1, MET, None, "", "", False, TODAY)
    assert Diagnostic.objects.get().status == "completed"
    with pytest.raises(ValidationError):
        interview_update(actor=world.people["admin"], interview=stored, notes="Encore")
    trail = json.dumps(
        [entry.changes for entry in AuditEntry.objects.filter(action__startswith="interview.")],
        ensure_ascii=False,
    )
    assert "Jeanne" not in trail and "parle" not in trail
    assert AuditEntry.objects.get(action="interview.erase").changes["erased"] == [False, True]


def test_a_finished_diagnostic_is_shared_with_a_partner_funder(world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    with pytest.raises(ValidationError) as error:
        diagnostic_share(actor=world.people["admin"], diagnostic=diagnostic, funder=world.other_funder)
    assert error.value.message_dict == {
        "status": ["Seul un diagnostic terminé peut être partagé avec un financeur."],
        "funder": ["Choisissez un financeur partenaire de ce territoire."],
    }
    assert not readable_diagnostics(world.people["other_funder"], world.territory).exists()
    complete(world, diagnostic)
    world.territory.partnerships.create(funder=world.other_funder, since=TODAY)
    diagnostic_share(actor=world.people["admin"], diagnostic=diagnostic, funder=world.other_funder)
    assert list(DiagnosticShare.objects.values_list("funder__name", "shared_on")) == [
        ("Fondation Lointaine", TODAY)
    ]
    assert access_diagnostic(world.people["other_funder"], world.territory, diagnostic.pk) == diagnostic
    diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="in_progress")
    assert not readable_diagnostics(world.people["other_funder"], world.territory).exists()
    with pytest.raises(PermissionDenied):
        diagnostic_share(actor=world.people["editor"], diagnostic=diagnostic, funder=world.partner)


def test_an_actor_named_by_a_function_hides_its_whole_name_not_its_common_words(world):
    diagnostic = a_diagnostic(world, blockages="La chercheuse en sociologie parle en dernier.")
    researcher = a_person(world, name="La chercheuse en sociologie")
    an_interview(world, diagnostic, interviewee=researcher, profile="", notes="Elle parle en détail.")
    export = diagnostic_export(world.people["admin"], diagnostic)
    assert export["sections"][3]["text"] == "Entretien n° 1 parle en dernier."
    assert export["interviews"][0]["notes"] == "Elle parle en détail."


def test_erasing_a_person_of_the_map_hides_their_name_in_the_diagnostics_that_met_them(world):
    from trajectoires.cooperation.actor_gdpr import actor_erase

    diagnostic = a_diagnostic(world, **SECTIONS)
    jeanne = a_person(world)
    an_interview(world, diagnostic, interviewee=jeanne, profile="", notes="Jeanne Martin raconte.")
    actor_erase(actor=world.people["admin"], record=jeanne)
    diagnostic.refresh_from_db()
    exported = json.dumps(
        diagnostic_export(world.people["admin"], diagnostic), default=str, ensure_ascii=False
    )
    assert "jeanne" not in exported.lower() and "martin" not in exported.lower()
    assert Interview.objects.get().notes == "Entretien n° 1 raconte."
    assert diagnostic.actors_relations == "Entretien n° 1, agricultrice, relie les maraîchers et la cantine."
