"""Objectives with versions, through `funding/objectives.py`: written on the draft (version 1, agreed
with the contract), re-adjusted while the contract runs with the reason and what was learnt, in force
once every co-funder's admin has agreed; closed as achieved, partly achieved, or abandoned with the
lesson learnt — which counts as learning, not as failure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.funding.builders import a_contract, active, build_funding_world
from tests.trust.world import person
from trajectoires.accounts.models import FunderMembership
from trajectoires.core.models import AuditEntry
from trajectoires.funding.contracts import contract_close, contract_propose
from trajectoires.funding.models import Objective, ObjectiveAgreement, ObjectiveVersion, Programme
from trajectoires.funding.objectives import (
    ObjectiveInput,
    counts_as_learning,
    current_version,
    objective_agree,
    objective_close,
    objective_create,
    objective_delete,
    objective_readjust,
    objective_update,
    pending_version,
)
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
STATEMENT = "Former quarante élus et agents à la conduite du changement."
NEW_STATEMENT = "Former vingt élus et vingt agents, en deux cycles."


@pytest.fixture
def fw():
    return build_funding_world()


def save_vision(territory, actor, titles):
    return vision_save(
        actor=actor,
        territory=territory,
        expected_version=0,
        horizon_year=YEAR + 15,
        statement="Un territoire nourricier.",
        orientations=[
            OrientationInput(title, [referential_item("essential_need", "food")]) for title in titles
        ],
        reason="Conseil municipal",
        visibility="private",
    )


def orientations(fw):
    """Ungersheim's two orientations and Grande-Synthe's one."""
    ours = list(
        save_vision(
            fw.territory, fw.people["admin"], ["Se nourrir ici", "Bouger autrement"]
        ).orientations.order_by("position")
    )
    theirs = list(
        save_vision(fw.world.elsewhere, fw.people["member_elsewhere"], ["Le port"]).orientations.all()
    )
    return ours, theirs


def key_action(code):
    return referential_item("key_action", code)


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def last_entry_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def entries_after(mark: int) -> list[tuple[str, str, dict]]:
    return list(
        AuditEntry.objects.filter(id__gt=mark).order_by("id").values_list("action", "object_type", "changes")
    )


def fresh(objective) -> Objective:
    return Objective.objects.select_related("contract").prefetch_related("versions").get(pk=objective.pk)


def an_objective(fw, contract, statement=STATEMENT, target="40 personnes formées", **links):
    return objective_create(
        actor=fw.prefecture_admin,
        contract=contract,
        data=ObjectiveInput(statement=statement, target=target, **links),
    )


def readjust(fw, objective, actor=None, **values):
    values = {
        "statement": NEW_STATEMENT,
        "target": "20 élus et 20 agents formés",
        "reason": "Les agents ne peuvent pas suivre les sessions du soir.",
        "learning": "Séparer les publics rend la formation possible.",
    } | values
    return objective_readjust(actor=actor or fw.people["editor"], objective=fresh(objective), **values)


# Written on the draft --------------------------------------------------------------------------


def test_an_objective_is_written_on_the_draft_as_its_first_agreed_version(fw):
    (food, _moving), _theirs = orientations(fw)
    contract = a_contract(fw)
    mark = last_entry_id()
    first = objective_create(
        actor=fw.prefecture_admin,
        contract=contract,
        data=ObjectiveInput(
            statement=f"  {STATEMENT} ",
            target=" 40 personnes formées ",
            orientations=[food],
            key_actions=[key_action("K3"), key_action("K1")],
        ),
    )
    second = objective_create(
        actor=fw.people["admin"],
        contract=contract,
        data=ObjectiveInput(statement="Ouvrir la cantine aux aînés."),
    )
    assert (first.position, second.position) == (1, 2)
    assert list(first.orientations.all()) == [food]
    assert sorted(first.key_actions.values_list("code", flat=True)) == ["K1", "K3"]
    version = first.versions.get()
    assert (
        version.number,
        version.statement,
        version.target,
        version.reason,
        version.learning,
        version.proposed_by,
    ) == (1, STATEMENT, "40 personnes formées", "", "", fw.prefecture_admin)
    assert version.agreed_at is not None
    first = fresh(first)
    assert (current_version(first), pending_version(first), counts_as_learning(first)) == (
        version,
        None,
        False,
    )
    assert entries_after(mark) == [
        (
            "contract.objective_create",
            "funding.objective",
            {
                "statement": [None, STATEMENT],
                "target": [None, "40 personnes formées"],
                "orientations": [None, [food.pk]],
                "key_actions": [None, ["K1", "K3"]],
            },
        ),
        (
            "contract.objective_create",
            "funding.objective",
            {
                "statement": [None, "Ouvrir la cantine aux aînés."],
                "target": [None, ""],
                "orientations": [None, []],
                "key_actions": [None, []],
            },
        ),
    ]
    assert AuditEntry.objects.filter(action="contract.objective_create").latest("id").scope == (
        f"territory:{fw.territory.pk}"
    )


def test_an_objective_is_tied_to_this_territorys_orientations_and_to_key_actions(fw):
    (food, _moving), (port,) = orientations(fw)
    contract = a_contract(fw)
    mark = last_entry_id()
    assert refused(
        lambda: objective_create(
            actor=fw.prefecture_admin,
            contract=contract,
            data=ObjectiveInput(statement=STATEMENT, orientations=[food, port]),
        )
    ) == {"orientations": ["Choisissez des orientations de la vision du territoire."]}
    assert refused(
        lambda: objective_create(
            actor=fw.prefecture_admin,
            contract=contract,
            data=ObjectiveInput(
                statement="   ",
                orientations=[port],
                key_actions=[key_action("K1"), referential_item("budget_line_category", "human_engineering")],
            ),
        )
    ) == {
        "statement": ["Écrivez l’objectif."],
        "orientations": ["Choisissez des orientations de la vision du territoire."],
        "key_actions": ["Choisissez des actions clés du référentiel."],
    }
    assert not Objective.objects.exists()
    assert entries_after(mark) == []
    objective = an_objective(fw, contract, orientations=[food])
    mark = last_entry_id()
    assert refused(
        lambda: objective_update(
            actor=fw.prefecture_admin,
            objective=objective,
            data=ObjectiveInput(statement=STATEMENT, orientations=[port]),
        )
    ) == {"orientations": ["Choisissez des orientations de la vision du territoire."]}
    assert list(objective.orientations.all()) == [food]
    assert entries_after(mark) == []


def test_a_draft_objective_is_rewritten_in_place_and_deleted(fw):
    (food, moving), _theirs = orientations(fw)
    contract = a_contract(fw)
    objective = an_objective(fw, contract, orientations=[food], key_actions=[key_action("K1")])
    mark = last_entry_id()
    objective_update(
        actor=fw.people["admin"],
        objective=objective,
        data=ObjectiveInput(
            statement=STATEMENT, target="45 personnes formées", orientations=[food, moving], key_actions=[]
        ),
    )
    assert list(objective.versions.values_list("number", "statement", "target")) == [
        (1, STATEMENT, "45 personnes formées")
    ]
    assert sorted(objective.orientations.values_list("pk", flat=True)) == sorted([food.pk, moving.pk])
    assert entries_after(mark) == [
        (
            "contract.objective_update",
            "funding.objective",
            {
                "target": ["40 personnes formées", "45 personnes formées"],
                "orientations": [[food.pk], sorted([food.pk, moving.pk])],
                "key_actions": [["K1"], []],
            },
        )
    ]
    mark = last_entry_id()
    objective_delete(actor=fw.prefecture_admin, objective=objective)
    assert not Objective.objects.exists()
    assert not ObjectiveVersion.objects.exists()
    assert entries_after(mark) == [
        ("contract.objective_delete", "funding.objective", {"position": [1, None]})
    ]


def test_objectives_are_written_by_who_prepares_the_draft_and_only_on_a_draft(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    mark = last_entry_id()
    for outsider in (fw.people["editor"], fw.region_admin, fw.people["other_funder"], None):
        with pytest.raises(PermissionDenied):
            objective_create(actor=outsider, contract=contract, data=ObjectiveInput(statement=STATEMENT))
        with pytest.raises(PermissionDenied):
            objective_update(actor=outsider, objective=objective, data=ObjectiveInput(statement="Autre"))
        with pytest.raises(PermissionDenied):
            objective_delete(actor=outsider, objective=objective)
    assert entries_after(mark) == []
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    objective = fresh(objective)
    message = {"status": ["C’est impossible sur un contrat à l’état « Proposé à la signature »."]}
    assert (
        refused(
            lambda: objective_create(
                actor=fw.prefecture_admin, contract=contract, data=ObjectiveInput(statement="Autre")
            )
        )
        == message
    )
    assert (
        refused(
            lambda: objective_update(
                actor=fw.prefecture_admin, objective=objective, data=ObjectiveInput(statement="Autre")
            )
        )
        == message
    )
    assert refused(lambda: objective_delete(actor=fw.prefecture_admin, objective=objective)) == message
    assert list(ObjectiveVersion.objects.values_list("statement", flat=True)) == [STATEMENT]
    assert entries_after(mark)[-1][0] == "contract.status"  # the proposal, nothing after


# Re-adjusted while the contract runs ------------------------------------------------------------


def test_a_re_adjustment_keeps_before_and_after_with_its_reason_and_learning(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    mark = last_entry_id()
    version = readjust(fw, objective)
    assert (
        version.number,
        version.statement,
        version.target,
        version.reason,
        version.learning,
        version.proposed_by,
        version.agreed_at,
    ) == (
        2,
        NEW_STATEMENT,
        "20 élus et 20 agents formés",
        "Les agents ne peuvent pas suivre les sessions du soir.",
        "Séparer les publics rend la formation possible.",
        fw.people["editor"],
        None,
    )
    objective = fresh(objective)
    assert (current_version(objective).number, pending_version(objective)) == (1, version)
    assert entries_after(mark) == [
        (
            "contract.objective_readjust",
            "funding.objectiveversion",
            {
                "statement": [STATEMENT, NEW_STATEMENT],
                "target": ["40 personnes formées", "20 élus et 20 agents formés"],
                "reason": [None, "Les agents ne peuvent pas suivre les sessions du soir."],
                "learning": [None, "Séparer les publics rend la formation possible."],
            },
        )
    ]
    # One re-adjustment waits at a time.
    mark = last_entry_id()
    assert refused(
        lambda: readjust(fw, objective, actor=fw.prefecture_admin, statement="Encore autre chose")
    ) == {"statement": ["Un réajustement de cet objectif attend déjà l’accord des cofinanceurs."]}
    assert objective.versions.count() == 2
    assert entries_after(mark) == []


def test_a_re_adjustment_says_why_and_what_was_learnt(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    mark = last_entry_id()
    assert refused(lambda: readjust(fw, objective, reason=" ", learning="")) == {
        "reason": ["Dites pourquoi l’objectif est réajusté."],
        "learning": ["Dites ce qui a été appris."],
    }
    assert refused(lambda: readjust(fw, objective, statement="", learning="")) == {
        "statement": ["Écrivez l’objectif."],
        "learning": ["Dites ce qui a été appris."],
    }
    assert refused(lambda: readjust(fw, objective, reason="")) == {
        "reason": ["Dites pourquoi l’objectif est réajusté."]
    }
    assert objective.versions.count() == 1
    assert entries_after(mark) == []


def test_a_re_adjustment_is_proposed_by_the_territorys_writers_or_the_lead_funder_while_it_runs(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    assert refused(lambda: readjust(fw, objective)) == {
        "status": ["C’est impossible sur un contrat à l’état « Brouillon »."]
    }
    active(fw, contract)
    mark = last_entry_id()
    for outsider in (
        fw.people["viewer"],
        fw.people["contributor"],
        fw.region_admin,
        fw.people["other_funder"],
        fw.people["member_elsewhere"],
    ):
        with pytest.raises(PermissionDenied):
            readjust(fw, objective, actor=outsider)
    assert entries_after(mark) == []
    assert (
        readjust(fw, objective, actor=fw.people["partner_funder"]).proposed_by == fw.people["partner_funder"]
    )


# Agreed by every co-funder ----------------------------------------------------------------------


def test_a_re_adjustment_is_in_force_once_every_co_funders_admin_agrees(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    version = readjust(fw, objective)
    fondation = person("admin@fondation.example")
    FunderMembership.objects.create(user=fondation, funder=fw.world.other_funder, role="admin")
    mark = last_entry_id()
    refusals = [
        (fw.people["partner_funder"], fw.world.partner),  # an officer does not agree for its funder
        (fw.region_officer, fw.region),
        (fw.prefecture_admin, fw.region),  # nor an admin for another funder
        (fw.people["admin"], fw.world.partner),  # nor the territory
        (fondation, fw.world.other_funder),  # a funder that is no party agrees to nothing
    ]
    for actor, funder in refusals:
        with pytest.raises(PermissionDenied):
            objective_agree(actor=actor, version=version, funder=funder)
    assert not ObjectiveAgreement.objects.exists()
    assert entries_after(mark) == []

    objective_agree(actor=fw.prefecture_admin, version=version, funder=fw.world.partner)
    version.refresh_from_db()
    assert version.agreed_at is None
    objective = fresh(objective)
    assert (current_version(objective).number, pending_version(objective).number) == (1, 2)
    assert refused(
        lambda: objective_agree(actor=fw.prefecture_admin, version=version, funder=fw.world.partner)
    ) == {"agreement": ["Préfecture du Haut-Rhin a déjà donné son accord."]}
    objective_agree(actor=fw.region_admin, version=version, funder=fw.region)
    version.refresh_from_db()
    assert version.agreed_at is not None
    objective = fresh(objective)
    assert (current_version(objective), pending_version(objective)) == (version, None)
    assert list(objective.versions.values_list("number", "statement")) == [(1, STATEMENT), (2, NEW_STATEMENT)]
    assert sorted(ObjectiveAgreement.objects.values_list("funder__slug", "agreed_by__email")) == [
        ("prefecture-68", "admin@prefecture.example"),
        ("region-grand-est", "admin@grandest.example"),
    ]
    assert entries_after(mark) == [
        ("contract.objective_agree", "funding.objectiveagreement", {"funder": [None, "prefecture-68"]}),
        ("contract.objective_agree", "funding.objectiveagreement", {"funder": [None, "region-grand-est"]}),
        ("contract.objective_in_force", "funding.objectiveversion", {"number": [None, 2]}),
    ]
    mark = last_entry_id()
    assert refused(lambda: objective_agree(actor=fw.region_admin, version=version, funder=fw.region)) == {
        "agreement": ["Cette version est déjà en vigueur."]
    }
    assert entries_after(mark) == []
    # In force, it may be re-adjusted again: version 3 starts from version 2.
    third = readjust(fw, objective, statement="Former trente personnes.", target="30")
    assert third.number == 3
    assert entries_after(mark)[0][2]["statement"] == [NEW_STATEMENT, "Former trente personnes."]


def test_with_one_co_funder_its_agreement_is_the_last(fw):
    Programme.objects.filter(pk=fw.state_programme.pk).update(cofinancing_cap=100)
    fw.state_programme.refresh_from_db()
    contract = a_contract(fw, region_share="0", state_share="240000.00", total="240000.00")
    objective = an_objective(fw, contract)
    active(fw, contract)
    version = readjust(fw, objective)
    objective_agree(actor=fw.prefecture_admin, version=version, funder=fw.world.partner)
    assert current_version(fresh(objective)) == version


# Closed ----------------------------------------------------------------------------------------


def test_an_objective_closes_as_achieved_partly_achieved_or_with_a_lesson_learnt(fw):
    contract = a_contract(fw)
    achieved, partly, abandoned = (an_objective(fw, contract, statement=f"Objectif {n}") for n in (1, 2, 3))
    active(fw, contract)
    mark = last_entry_id()
    objective_close(actor=fw.people["editor"], objective=fresh(achieved), outcome="achieved", note="")
    objective_close(
        actor=fw.prefecture_admin, objective=fresh(partly), outcome="partly", note=" 25 personnes formées. "
    )
    assert refused(
        lambda: objective_close(
            actor=fw.people["editor"], objective=fresh(abandoned), outcome="lesson", note="  "
        )
    ) == {"outcome_note": ["Écrivez la leçon tirée : c’est ce que laisse un objectif abandonné."]}
    objective_close(
        actor=fw.people["editor"],
        objective=fresh(abandoned),
        outcome="lesson",
        note="La régie ne pouvait pas porter seule la légumerie.",
    )
    rows = {
        objective.position: (objective.outcome, objective.outcome_note, objective.closed_at is not None)
        for objective in Objective.objects.all()
    }
    assert rows == {
        1: ("achieved", "", True),
        2: ("partly", "25 personnes formées.", True),
        3: ("lesson", "La régie ne pouvait pas porter seule la légumerie.", True),
    }
    assert [counts_as_learning(objective) for objective in Objective.objects.order_by("position")] == [
        False,
        False,
        True,
    ]
    assert [Objective.objects.get(position=n).get_outcome_display() for n in (1, 2, 3)] == [
        "Atteint",
        "Partiellement atteint",
        "Abandonné — leçon tirée",
    ]
    assert entries_after(mark) == [
        (
            "contract.objective_close",
            "funding.objective",
            {"outcome": [None, "achieved"], "outcome_note": [None, ""]},
        ),
        (
            "contract.objective_close",
            "funding.objective",
            {"outcome": [None, "partly"], "outcome_note": [None, "25 personnes formées."]},
        ),
        (
            "contract.objective_close",
            "funding.objective",
            {
                "outcome": [None, "lesson"],
                "outcome_note": [None, "La régie ne pouvait pas porter seule la légumerie."],
            },
        ),
    ]


def test_an_objective_closes_once_with_a_known_outcome_and_then_stays_as_it_is(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    assert refused(
        lambda: objective_close(actor=fw.prefecture_admin, objective=objective, outcome="achieved", note="")
    ) == {"status": ["C’est impossible sur un contrat à l’état « Brouillon »."]}
    active(fw, contract)
    mark = last_entry_id()
    assert refused(
        lambda: objective_close(
            actor=fw.people["editor"], objective=fresh(objective), outcome="failed", note=""
        )
    ) == {"outcome": ["Choisissez comment l’objectif se termine."]}
    for outsider in (fw.people["viewer"], fw.region_admin):
        with pytest.raises(PermissionDenied):
            objective_close(actor=outsider, objective=fresh(objective), outcome="achieved", note="")
    assert entries_after(mark) == []
    objective_close(actor=fw.people["editor"], objective=fresh(objective), outcome="achieved", note="")
    mark = last_entry_id()
    assert refused(
        lambda: objective_close(
            actor=fw.people["editor"], objective=fresh(objective), outcome="partly", note=""
        )
    ) == {"outcome": ["Cet objectif est déjà clos."]}
    assert refused(lambda: readjust(fw, objective)) == {"statement": ["Cet objectif est clos."]}
    assert Objective.objects.get(pk=objective.pk).outcome == "achieved"
    assert entries_after(mark) == []


def test_objectives_still_close_once_the_contract_is_closed(fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    contract_close(actor=fw.prefecture_admin, contract=contract, note="Fin du contrat.")
    objective_close(
        actor=fw.people["admin"],
        objective=fresh(objective),
        outcome="lesson",
        note="Trop ambitieux pour trois ans.",
    )
    assert counts_as_learning(Objective.objects.get(pk=objective.pk))
    # But no re-adjustment after the end.
    assert refused(lambda: readjust(fw, Objective.objects.get(pk=objective.pk))) == {
        "status": ["C’est impossible sur un contrat à l’état « Clos »."]
    }
