"""The controversy register (K6, C3), through its services: reporting, the life cycle and each of its
preconditions, the decision, the e-mails to the parties, the register's counts and filters, and who
reads what. What the instruction gathers is tested in `test_controversy_records`; the helpers here
(`report`, `instructed`, `decided`…) serve both, and the API tests."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tests.governance.test_decisions import decide
from tests.governance.test_spaces import an_actor, category, make_space
from tests.trust.world import build_world
from trajectoires.cooperation.actor_gdpr import actor_erase
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.governance.controversies import (
    access_controversy,
    controversy_register,
    controversy_report,
    controversy_story,
    controversy_update,
    stage_counts,
)
from trajectoires.governance.controversy_lifecycle import (
    TRANSITIONS,
    controversy_move,
    decision_write,
    move_errors,
)
from trajectoires.governance.controversy_records import follow_up_add, party_add, state_write
from trajectoires.governance.models import Controversy, ControversyStage, Party, StageTransition
from trajectoires.governance.spaces import space_create
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
SUBJECT = "Extension de la zone d'activité"
BLANK = "Ce champ ne peut pas être vide."


@pytest.fixture
def world():
    return build_world()


def need(code):
    return referential_item("essential_need", code)


def report(world, subject=SUBJECT, visibility="public", author="admin", **values):
    return controversy_report(
        actor=world.people[author],
        territory=world.territory,
        subject=subject,
        description=values.pop("description", "Dix hectares de terres agricoles en jeu."),
        visibility=visibility,
        **values,
    )


def move(world, controversy, to_stage, reason="Le dossier avance.", role="admin"):
    return controversy_move(
        actor=world.people[role], controversy=controversy, to_stage=to_stage, reason=reason
    )


def group(world, controversy, name="Collectif des Terres", author="admin", **values):
    return party_add(
        actor=world.people[author],
        controversy=controversy,
        group_name=name,
        position=values.pop("position", "Contre l'extension."),
        **values,
    )


def write_state(world, controversy, statement="Les terres sont classées A.", **values):
    return state_write(actor=world.people["admin"], controversy=controversy, statement=statement, **values)


def decide_it(world, controversy):
    decision_write(
        actor=world.people["admin"],
        controversy=controversy,
        decision_text="Extension réduite à trois hectares.",
        instruction_use="L'étude des sols a fixé la limite.",
    )


def instructed(world, **values):
    controversy = report(world, forum=make_space(world), **values)
    move(world, controversy, "instructing")
    return controversy


def deliberating(world, **values):
    controversy = instructed(world, **values)
    group(world, controversy, "Collectif des Terres")
    group(world, controversy, "Club des entreprises", position="Pour l'extension.")
    move(world, controversy, "deliberating")
    return controversy


def decided(world, **values):
    controversy = deliberating(world, **values)
    write_state(world, controversy)
    decide_it(world, controversy)
    move(world, controversy, "decided")
    return controversy


def steps(controversy):
    return list(
        StageTransition.objects.filter(controversy=controversy)
        .order_by("at", "id")
        .values_list("from_stage", "to_stage", "reason", "by")
    )


def audited(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id").values_list("changes", flat=True))


def refused(call) -> dict[str, list[str]]:
    """The field errors of a refused write, checking that it wrote nothing at all."""
    counts = (StageTransition.objects.count(), AuditEntry.objects.count(), Party.objects.count())
    with pytest.raises(ValidationError) as error:
        call()
    assert (StageTransition.objects.count(), AuditEntry.objects.count(), Party.objects.count()) == counts
    return error.value.message_dict


# Reporting ---------------------------------------------------------------------------------------


def test_reporting_writes_the_controversy_its_first_step_and_an_audit_entry(world):
    contributor = world.people["contributor"]
    controversy = report(
        world,
        subject="  Extension de la zone d'activité ",
        author="contributor",
        subject_areas=[need("food"), need("water")],
        visibility="partners",
    )
    stored = Controversy.objects.get()
    assert (stored.subject, stored.stage, stored.author, stored.territory, stored.decided_on) == (
        SUBJECT,
        "reported",
        contributor,
        world.territory,
        None,
    )
    assert sorted(stored.subject_areas.values_list("code", flat=True)) == ["food", "water"]
    assert steps(controversy) == [("", "reported", "Signalée", contributor.pk)]
    entry = AuditEntry.objects.get(action="controversy.create")
    assert (entry.actor_label, entry.object_id, entry.scope) == (
        str(contributor.pk),
        str(controversy.pk),
        f"territory:{world.territory.pk}",
    )
    assert entry.changes == {
        "description": [None, "Dix hectares de terres agricoles en jeu."],
        "stage": [None, "reported"],
        "subject": [None, SUBJECT],
        "subject_areas": [None, ["food", "water"]],
        "visibility": [None, "partners"],
    }


def test_a_bad_report_names_its_fields_and_writes_nothing(world):
    elsewhere = space_create(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        name="Conseil de Grande-Synthe",
        kind="council",
    )
    level = referential_item("participation_level", "inform")
    errors = refused(lambda: report(world, subject=" ", forum=elsewhere, subject_areas=[level]))
    assert errors == {
        "subject": [BLANK],
        "forum": ["Choisissez un espace de participation de ce territoire."],
        "subject_areas": ["Choisissez des besoins essentiels du référentiel."],
    }
    # A contributor may not name a forum they cannot read.
    private = make_space(world, visibility="private")
    errors = refused(lambda: report(world, author="contributor", forum=private))
    assert errors == {"forum": ["Choisissez un espace de participation de ce territoire."]}
    with pytest.raises(PermissionDenied):
        report(world, author="viewer")
    assert Controversy.objects.count() == 0


def test_changing_a_controversy_is_audited_and_its_author_may_do_it(world):
    controversy = report(world, author="contributor")
    space = make_space(world)
    controversy_update(
        actor=world.people["contributor"],
        controversy=controversy,
        forum=space,
        subject_areas=[need("energy")],
        visibility="alliance",
    )
    assert audited("controversy.update") == [
        {
            "forum": [None, space.pk],
            "subject_areas": [[], ["energy"]],
            "visibility": ["public", "alliance"],
        }
    ]
    other = report(world, subject="Parc éolien")
    with pytest.raises(PermissionDenied):
        controversy_update(actor=world.people["contributor"], controversy=other, subject="Autre")
    assert Controversy.objects.get(pk=other.pk).subject == "Parc éolien"


# The life cycle ----------------------------------------------------------------------------------


def test_every_precondition_refuses_with_its_message_and_writes_nothing(world):
    controversy = report(world)
    assert refused(lambda: move(world, controversy, "instructing")) == {
        "to_stage": ["Choisissez d’abord l’instance où elle est instruite."]
    }
    assert refused(lambda: move(world, controversy, "instructing", reason="  ")) == {
        "reason": ["Dites pourquoi la controverse change d’étape."],
        "to_stage": ["Choisissez d’abord l’instance où elle est instruite."],
    }
    controversy_update(actor=world.people["admin"], controversy=controversy, forum=make_space(world))
    move(world, controversy, "instructing")
    group(world, controversy)
    assert refused(lambda: move(world, controversy, "deliberating")) == {
        "to_stage": ["Au moins deux parties doivent avoir exprimé leur position avant la délibération."]
    }
    group(world, controversy, "Club des entreprises")
    move(world, controversy, "deliberating")
    assert refused(lambda: move(world, controversy, "decided")) == {
        "to_stage": [
            "Rédigez d’abord l’état de la controverse : c’est la trace de l’instruction.",
            "Rédigez d’abord la décision.",
            "Dites d’abord comment la décision s’est appuyée sur l’instruction.",
        ]
    }
    write_state(world, controversy)
    decision_write(
        actor=world.people["admin"],
        controversy=controversy,
        decision_text="Trois hectares.",
        instruction_use="",
    )
    assert refused(lambda: move(world, controversy, "decided")) == {
        "to_stage": ["Dites d’abord comment la décision s’est appuyée sur l’instruction."]
    }
    decide_it(world, controversy)
    move(world, controversy, "decided")
    assert refused(lambda: move(world, controversy, "followed_up")) == {
        "to_stage": ["Prévoyez d’abord au moins une action de suivi."]
    }
    assert Controversy.objects.get().stage == "decided"
    with pytest.raises(PermissionDenied):
        move(world, controversy, "instructing", role="contributor")
    assert StageTransition.objects.filter(to_stage="instructing").count() == 1


def test_a_move_outside_the_life_cycle_is_refused_from_every_stage(world):
    controversy = report(world)
    for current in ControversyStage:
        controversy.stage = current
        for target in ControversyStage:
            if target not in TRANSITIONS[current]:
                assert move_errors(controversy, target) == [
                    f"Une controverse à l’étape « {current.label} » ne peut pas passer à « {target.label} »."
                ]
    controversy.stage = "reported"
    assert move_errors(controversy, "archived") == [
        "Une controverse à l’étape « Signalée » ne peut pas passer à « archived »."
    ]
    assert refused(lambda: move(world, controversy, "decided")) == {
        "to_stage": ["Une controverse à l’étape « Signalée » ne peut pas passer à « Décidée »."]
    }


def test_each_move_records_from_to_reason_and_who_and_reopening_is_counted(world):
    editor = world.people["editor"].pk
    controversy = report(world, forum=make_space(world))
    move(world, controversy, "instructing", "Le conseil se saisit du dossier.", role="editor")
    group(world, controversy)
    group(world, controversy, "Club des entreprises")
    move(world, controversy, "deliberating", "Les positions sont connues.", role="editor")
    move(world, controversy, "instructing", "Il manque l'étude des sols.", role="editor")
    move(world, controversy, "deliberating", "L'étude est arrivée.", role="editor")
    write_state(world, controversy)
    decide_it(world, controversy)
    step = move(world, controversy, "decided", "Vote du conseil.", role="editor")
    stored = Controversy.objects.get()
    assert (stored.stage, stored.decided_on, stored.stage_changed_at) == ("decided", TODAY, step.at)
    assert controversy.stage == "decided"  # the caller's instance follows
    assert audited("controversy.move")[-1] == {
        "stage": ["deliberating", "decided"],
        "decided_on": [None, TODAY.isoformat()],
        "reason": [None, "Vote du conseil."],
    }
    move(world, controversy, "instructing", "Un recours est déposé.", role="editor")
    move(world, controversy, "deliberating", "Les positions sont à jour.", role="editor")
    move(world, controversy, "decided", "Nouveau vote.", role="editor")
    follow_up_add(actor=world.people["admin"], controversy=controversy, action="Borner la zone", due_on=TODAY)
    move(world, controversy, "followed_up", "La zone est bornée.", role="editor")
    move(world, controversy, "instructing", "Les terres voisines sont menacées.", role="editor")
    assert steps(controversy) == [
        ("", "reported", "Signalée", world.people["admin"].pk),
        ("reported", "instructing", "Le conseil se saisit du dossier.", editor),
        ("instructing", "deliberating", "Les positions sont connues.", editor),
        ("deliberating", "instructing", "Il manque l'étude des sols.", editor),
        ("instructing", "deliberating", "L'étude est arrivée.", editor),
        ("deliberating", "decided", "Vote du conseil.", editor),
        ("decided", "instructing", "Un recours est déposé.", editor),
        ("instructing", "deliberating", "Les positions sont à jour.", editor),
        ("deliberating", "decided", "Nouveau vote.", editor),
        ("decided", "followed_up", "La zone est bornée.", editor),
        ("followed_up", "instructing", "Les terres voisines sont menacées.", editor),
    ]
    assert len(audited("controversy.move")) == 10
    story = controversy_story(world.people["viewer"], world.territory, controversy.pk)
    assert [(s.from_stage, s.to_stage) for s in story.transitions][-1] == ("followed_up", "instructing")
    # Reopened from « decided » and from « followed up »; sent back once from the deliberation,
    # which is not a reopening.
    assert story.reopened == 2
    assert [reopening for _step, reopening in story.timeline] == [
        False, False, False, False, False, False, True, False, False, False, True,
    ]  # fmt: skip


def test_reopening_a_decided_controversy_opens_its_instruction_again(world):
    controversy = decided(world)
    assert refused(lambda: group(world, controversy, "Riverains")) == {
        "position": ["La décision est prise : rouvrez la controverse pour compléter son instruction."]
    }
    move(world, controversy, "instructing", "Un recours est déposé.")
    group(world, controversy, "Riverains")
    assert controversy_story(world.people["admin"], world.territory, controversy.pk).reopened == 1
    assert Controversy.objects.get().decided_on == TODAY  # the date of the last decision stays


def test_the_decision_is_written_while_instructing_and_links_decisions_of_the_territory(world):
    controversy = report(world)
    assert refused(lambda: decide_it(world, controversy)) == {
        "decision_text": ["Instruisez la controverse avant d’en rédiger la décision."]
    }
    controversy = instructed(world)
    plan = decide(world, "Plan vélo")
    foreign = decide(world, "Port", territory=world.elsewhere, author="member_elsewhere")
    write = lambda decisions: decision_write(  # noqa: E731
        actor=world.people["editor"],
        controversy=controversy,
        decision_text=" Trois hectares. ",
        instruction_use="L'étude des sols.",
        related_decisions=decisions,
    )
    assert refused(lambda: write([plan, foreign])) == {
        "related_decisions": ["Choisissez des décisions de ce territoire."]
    }
    write([plan])
    assert list(controversy.related_decisions.all()) == [plan]
    assert audited("controversy.decision") == [
        {
            "decision_text": ["", "Trois hectares."],
            "instruction_use": ["", "L'étude des sols."],
            "related_decisions": [[], [plan.pk]],
        }
    ]
    with pytest.raises(PermissionDenied):
        decision_write(
            actor=world.people["contributor"], controversy=controversy, decision_text="X", instruction_use="Y"
        )
    settled = decided(world, subject="Parc éolien")
    assert refused(lambda: decide_it(world, settled)) == {
        "decision_text": ["La décision est prise : rouvrez la controverse pour la modifier."]
    }


# E-mails to the parties --------------------------------------------------------------------------


def test_after_a_committed_move_each_party_with_an_address_gets_one_email(
    world, django_capture_on_commit_callbacks
):
    admin = world.people["admin"]
    controversy = report(world, forum=make_space(world))
    mairie = actor_create(
        actor=admin,
        territory=world.territory,
        kind="organisation",
        name="Mairie",
        category=category("elu"),
        email="mairie@ungersheim.example",
        visibility="public",
    )
    person = actor_create(
        actor=admin,
        territory=world.territory,
        kind="person",
        name="Jeanne Martin",
        category=category("habitant_association"),
        email="jeanne@example.org",
        visibility="public",
    )
    party_add(actor=admin, controversy=controversy, actor_record=mairie, position="Pour.")
    party_add(actor=admin, controversy=controversy, actor_record=person, position="Contre.")
    group(world, controversy, "Collectif des Terres", contact_email="collectif@terres.example")
    group(world, controversy, "Riverains")  # no address
    actor_erase(actor=admin, record=person)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        move(world, controversy, "deliberating")
    assert (callbacks, mail.outbox) == ([], [])

    with django_capture_on_commit_callbacks(execute=True):
        move(world, controversy, "instructing", "Le conseil se saisit du dossier.")
        assert mail.outbox == []  # nothing before the commit
    link = settings.SITE_URL + reverse("controversies:detail", args=["ungersheim", controversy.pk])
    assert sorted(message.to for message in mail.outbox) == [
        ["collectif@terres.example"],
        ["mairie@ungersheim.example"],
    ]
    for message in mail.outbox:
        assert message.subject == "« Extension de la zone d'activité » : désormais en instruction"
        assert message.body == (
            "La controverse « Extension de la zone d'activité » (Ungersheim), dont vous êtes partie, "
            "est passée de l’étape « Signalée » à « En instruction ».\n\n"
            "Motif : Le conseil se saisit du dossier.\n\n"
            f"Pour la suivre : {link}\n"
        )


# The register and who reads what -----------------------------------------------------------------


def test_stage_counts_and_register_filters_on_known_data(world):
    council = make_space(world, name="Conseil municipal")
    workshop = make_space(world, name="Atelier mobilités", visibility="private")
    wind = report(world, "Parc éolien", subject_areas=[need("energy")])
    zone = instructed(world, subject="Zone d'activité", subject_areas=[need("food"), need("water")])
    controversy_update(actor=world.people["admin"], controversy=zone, forum=council)
    group(world, zone, "Collectif des Terres")
    group(world, zone, "Club des entreprises")
    bus = report(world, "Ligne de bus", forum=workshop, subject_areas=[need("mobility")])
    note = report(world, "Note interne", visibility="private", subject_areas=[need("energy")])
    admin, anonymous = world.people["admin"], None
    counts = lambda viewer: [(stage, n) for stage, _label, n in stage_counts(viewer, world.territory)]  # noqa: E731
    assert counts(admin) == [
        ("reported", 3),
        ("instructing", 1),
        ("deliberating", 0),
        ("decided", 0),
        ("followed_up", 0),
    ]
    assert counts(anonymous)[0] == ("reported", 2)
    assert [label for _stage, label, _n in stage_counts(admin, world.territory)] == [
        "Signalée",
        "En instruction",
        "En délibération",
        "Décidée",
        "Suivie",
    ]

    def subjects(viewer, **filters):
        return [c.subject for c in controversy_register(viewer, world.territory, **filters)]

    assert subjects(admin) == ["Note interne", "Ligne de bus", "Zone d'activité", "Parc éolien"]
    assert subjects(anonymous) == ["Ligne de bus", "Zone d'activité", "Parc éolien"]
    assert subjects(admin, stage="reported") == ["Note interne", "Ligne de bus", "Parc éolien"]
    assert subjects(admin, forum=council.pk) == ["Zone d'activité"]
    assert subjects(admin, area="energy") == ["Note interne", "Parc éolien"]
    assert subjects(anonymous, area="energy", stage="reported") == ["Parc éolien"]
    assert subjects(admin, area="food") == ["Zone d'activité"]
    rows = {c.pk: c for c in controversy_register(anonymous, world.territory)}
    assert (rows[zone.pk].party_count, rows[zone.pk].forum_visible) == (2, True)
    assert (rows[bus.pk].party_count, rows[bus.pk].forum_visible) == (0, False)
    assert rows[wind.pk].forum_visible is False and note.pk not in rows


def test_a_private_controversy_is_read_by_the_team_only(world):
    controversy = report(world, visibility="private")
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        with pytest.raises(Http404):
            access_controversy(world.people[role], world.territory, controversy.pk)
        with pytest.raises(Http404):
            controversy_story(world.people[role], world.territory, controversy.pk)
    assert access_controversy(world.people["viewer"], world.territory, controversy.pk) == controversy
    with pytest.raises(Http404):
        access_controversy(world.people["admin"], world.elsewhere, controversy.pk)


def test_a_party_the_viewer_may_not_read_shows_its_category_not_its_name(world):
    controversy = instructed(world)
    hidden = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    party_add(actor=world.people["admin"], controversy=controversy, actor_record=hidden, position="Réservé.")
    group(world, controversy, "Riverains", sources="Étude 2023\n\n  Pétition ")
    story = controversy_story(None, world.territory, controversy.pk)
    assert [(view.label, view.party.position) for view in story.parties] == [
        ("Acteur non visible", "Réservé."),
        ("Riverains", "Contre l'extension."),
    ]
    assert story.parties[0].actor.category.code == "etat_territorial"
    assert story.parties[1].source_lines == ["Étude 2023", "Pétition"]
    team = controversy_story(world.people["viewer"], world.territory, controversy.pk)
    assert team.parties[0].label == "Cabinet du préfet"
