"""The pages inside a contract for its objectives (F10): each objective with its wording in force, its
target, orientations and key actions on the contract's page; writing them on the draft; while the
contract runs, a re-adjustment proposed with its reason and learning, accepted by each co-funder's
admin, then shown in the history (before → after); the outcome of a closed objective — « abandoned,
lesson learnt » shown as learning, never as failure. Bad input is named next to its field with
nothing written, and whoever may not write answers 404."""

import pytest
from django.utils import timezone

from tests.funding.builders import a_contract, actions, active, base, body_of, build_funding_world, today
from tests.pages import page_text, sent_form
from trajectoires.funding.models import Objective, ObjectiveAgreement, ObjectiveVersion
from trajectoires.funding.objectives import ObjectiveInput, objective_create, objective_readjust
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
STATEMENT = "Trois communes partagent une chargée de mission transition."
NEW_STATEMENT = "Deux communes partagent une chargée de mission, la troisième suit."
K3 = "K3 — Ancrer la transition dans les besoins essentiels"
K8 = "K8 — Mettre la transversalité au cœur du mandat"


@pytest.fixture
def fw():
    return build_funding_world()


def vision(territory, actor, titles):
    saved = vision_save(
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
    return list(saved.orientations.order_by("position"))


def an_objective(fw, contract, orientations=(), key_actions=("K3",), statement=STATEMENT):
    return objective_create(
        actor=fw.prefecture_admin,
        contract=contract,
        data=ObjectiveInput(
            statement=statement,
            target="3 communes d’ici 2029",
            orientations=list(orientations),
            key_actions=[referential_item("key_action", code) for code in key_actions],
        ),
    )


# Writing the objectives of a draft ---------------------------------------------------------------


def test_the_preparer_writes_an_objective_tied_to_the_vision_and_bad_input_is_named(client, fw):
    food, moving = vision(fw.territory, fw.people["admin"], ["Se nourrir ici", "Bouger autrement"])
    (port,) = vision(fw.world.elsewhere, fw.people["member_elsewhere"], ["Le port"])
    contract = a_contract(fw)
    client.force_login(fw.prefecture_admin)
    assert "Objectifs Aucun objectif pour l’instant. Ajouter un objectif" in body_of(client, contract)
    new = f"{base(contract)}objectifs/nouveau/"
    response = client.get(new)
    body = page_text(response)
    assert (
        "Ajouter un objectif Les objectifs sont convenus avec le contrat. Pendant qu’il court, ils peuvent "
        "être réajustés avec l’accord des cofinanceurs, la formulation précédente étant conservée. "
        "Objectif : Cible : Ce qui montre que l’objectif est atteint, par exemple « 3 communes partageant "
        "un poste d’ici 2029 ». Orientations de la vision du territoire : Se nourrir ici Bouger autrement "
        "Actions clés : K1 — Définir une vision inspirante"
    ) in body
    assert "Le port" not in body
    page = response.content.decode()
    assert f'value="{food.pk}" id="id_orientations_0">' in page
    assert 'value="K3" id="id_key_actions_2">' in page

    for values, field, message in [
        ({"statement": "  "}, "statement", "Écrivez l’objectif."),
        (
            {"orientations": [port.pk]},
            "orientations",
            f"Sélectionnez un choix valide. {port.pk} n’en fait pas partie.",
        ),
    ]:
        data = {"statement": STATEMENT, "target": "", "key_actions": ["K3"]} | values
        response = client.post(new, data)
        assert response.status_code == 400, values
        assert (
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>'
            in response.content.decode()
        )
    assert not Objective.objects.exists() and not actions("contract.objective")

    data = {
        "statement": STATEMENT,
        "target": "3 communes d’ici 2029",
        "orientations": [food.pk, moving.pk],
        "key_actions": ["K3", "K8"],
    }
    response = client.post(new, data)
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#objectifs"
    objective = Objective.objects.get()
    assert list(objective.versions.values_list("number", "statement", "target")) == [
        (1, STATEMENT, "3 communes d’ici 2029")
    ]
    assert actions("contract.objective_create") == [
        (
            "contract.objective_create",
            {
                "statement": [None, STATEMENT],
                "target": [None, "3 communes d’ici 2029"],
                "orientations": [None, sorted([food.pk, moving.pk])],
                "key_actions": [None, ["K3", "K8"]],
            },
        )
    ]
    body = body_of(client, contract)
    assert (
        f"Objectifs Objectif 1 {STATEMENT} Cible : 3 communes d’ici 2029 "
        f"Orientations de la vision Se nourrir ici · Bouger autrement Actions clés {K3} · {K8} "
        "Modifier l’objectif 1 · Supprimer l’objectif 1 Ajouter un objectif"
    ) in body


def test_an_edit_keeps_the_key_actions_of_an_earlier_referentiel_while_their_codes_are_kept(client, fw):
    contract = a_contract(fw)
    first = ReferentialVersion.objects.get(number=1)
    objective = objective_create(
        actor=fw.prefecture_admin,
        contract=contract,
        data=ObjectiveInput(
            statement=STATEMENT, key_actions=[referential_item("key_action", "K5", version=first)]
        ),
    )
    client.force_login(fw.people["admin"])  # the territory admin prepares too
    edit = f"{base(contract)}objectifs/{objective.pk}/modifier/"
    response = client.get(edit)
    assert 'value="K5" id="id_key_actions_4" checked>' in response.content.decode()
    values = sent_form(response, "statement")
    assert values["statement"] == [STATEMENT] and values["key_actions"] == ["K5"]
    response = client.post(edit, {**values, "target": "Avant 2029", "key_actions": ["K5", "K8"]})
    assert response.status_code == 302
    assert sorted(objective.key_actions.values_list("code", "version__number")) == [("K5", 1), ("K8", 2)]
    assert actions("contract.objective_update") == [
        (
            "contract.objective_update",
            {"target": ["", "Avant 2029"], "key_actions": [["K5"], ["K5", "K8"]]},
        )
    ]
    response = client.post(edit, {**values, "statement": ""})
    assert response.status_code == 400
    assert '<ul class="errorlist" id="id_statement_error"><li>Écrivez l’objectif.</li></ul>' in (
        response.content.decode()
    )
    delete = f"{base(contract)}objectifs/{objective.pk}/supprimer/"
    assert f"Supprimer l’objectif « {STATEMENT} » ? Supprimer Annuler" in page_text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Objective.objects.exists()
    assert actions("contract.objective_delete") == [("contract.objective_delete", {"position": [1, None]})]


@pytest.mark.parametrize("role", ["viewer", "editor", "region_officer", "other_funder"])
def test_the_objective_writes_of_a_draft_answer_404_to_who_may_not_prepare(client, fw, role):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    client.force_login(fw.region_officer if role == "region_officer" else fw.people[role])
    for url in (
        f"{base(contract)}objectifs/nouveau/",
        f"{base(contract)}objectifs/{objective.pk}/modifier/",
        f"{base(contract)}objectifs/{objective.pk}/supprimer/",
        f"{base(contract)}objectifs/{objective.pk}/reajuster/",  # not on a draft
        f"{base(contract)}objectifs/{objective.pk}/clore/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"statement": "Autre", "reason": "R", "learning": "L"}).status_code == 404
    assert Objective.objects.filter(pk=objective.pk).exists()
    assert ObjectiveVersion.objects.get().statement == STATEMENT


def test_an_objective_of_another_contract_is_not_found_here(client, fw):
    contract = a_contract(fw)
    other = a_contract(fw, title="Un autre contrat")
    elsewhere = an_objective(fw, other)
    client.force_login(fw.prefecture_admin)
    for url in (
        f"{base(contract)}objectifs/{elsewhere.pk}/modifier/",
        f"{base(contract)}objectifs/{elsewhere.pk}/supprimer/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"{base(contract)}objectifs/{elsewhere.pk}/supprimer/").status_code == 404
    assert Objective.objects.filter(pk=elsewhere.pk).exists()


# Re-adjusting while the contract runs -------------------------------------------------------------


def test_a_readjustment_is_proposed_accepted_by_each_co_funder_and_kept_in_the_history(client, fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    readjust = f"{base(contract)}objectifs/{objective.pk}/reajuster/"

    client.force_login(fw.people["editor"])
    body = body_of(client, contract)
    assert f"Actions clés {K3} Réajuster l’objectif 1 · Clore l’objectif 1" in body
    assert "Ajouter un objectif" not in body and "Modifier l’objectif" not in body
    response = client.get(readjust)
    assert (
        f"Réajuster l’objectif Formulation en vigueur : {STATEMENT} · cible : 3 communes d’ici 2029 "
        "La nouvelle formulation entre en vigueur une fois acceptée par chaque cofinanceur ; la formulation "
        "précédente, la raison et ce qui a été appris sont conservés. "
        f"Nouvelle formulation de l’objectif : {STATEMENT} Cible : Ce qui montre que l’objectif est atteint, "
        "par exemple « 3 communes partageant un poste d’ici 2029 ». "
        "Pourquoi le réajuster : Ce qui a changé depuis la signature du contrat. "
        "Ce qui a été appris : Ce que le territoire et ses financeurs savent désormais et qu’ils ignoraient. "
        "Proposer le réajustement Annuler"
    ) in page_text(response)
    values = sent_form(response, "statement")
    assert values["statement"] == [STATEMENT] and values["target"] == ["3 communes d’ici 2029"]
    response = client.post(readjust, {**values, "statement": NEW_STATEMENT})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<ul class="errorlist" id="id_reason_error"><li>Dites pourquoi l’objectif est réajusté.</li></ul>'
        in page
    )
    assert '<ul class="errorlist" id="id_learning_error"><li>Dites ce qui a été appris.</li></ul>' in page
    assert not ObjectiveVersion.objects.filter(number=2).exists()
    reason = "La troisième commune a changé d’équipe municipale."
    learning = "Un poste partagé se construit commune par commune."
    response = client.post(
        readjust,
        {
            **values,
            "statement": NEW_STATEMENT,
            "target": "2 communes",
            "reason": reason,
            "learning": learning,
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{base(contract)}#objectifs"
    pending = ObjectiveVersion.objects.get(number=2)
    assert (pending.statement, pending.agreed_at) == (NEW_STATEMENT, None)
    assert actions("contract.objective_readjust")[0][1] == {
        "statement": [STATEMENT, NEW_STATEMENT],
        "target": ["3 communes d’ici 2029", "2 communes"],
        "reason": [None, reason],
        "learning": [None, learning],
    }
    body = body_of(client, contract)
    assert (
        f"Objectif 1 {STATEMENT} Cible : 3 communes d’ici 2029 "
        f"Orientations de la vision Aucune orientation Actions clés {K3} "
        "Réajustement en attente des cofinanceurs "
        f"Formulation proposée {NEW_STATEMENT} · cible : 2 communes "
        f"Raison {reason} Ce qui a été appris {learning} "
        "Doivent encore accepter Préfecture du Haut-Rhin, Région Grand Est "
        "Clore l’objectif 1"
    ) in body
    assert "Accepter pour" not in body and "Réajuster l’objectif 1" not in body
    response = client.post(readjust, {**values, "reason": reason, "learning": learning})
    assert response.status_code == 400
    assert "Un réajustement de cet objectif attend déjà l’accord des cofinanceurs." in page_text(response)

    accept_state = f"{base(contract)}objectifs/{objective.pk}/accepter/{fw.world.partner.pk}/"
    accept_region = f"{base(contract)}objectifs/{objective.pk}/accepter/{fw.region.pk}/"
    client.force_login(fw.people["partner_funder"])  # an officer, not the admin: does not agree
    assert "Accepter pour" not in body_of(client, contract)
    assert client.post(accept_state).status_code == 404
    client.force_login(fw.prefecture_admin)
    body = body_of(client, contract)
    assert (
        "Doivent encore accepter Préfecture du Haut-Rhin, Région Grand Est "
        "Accepter pour Préfecture du Haut-Rhin — l’objectif 1 Clore l’objectif 1"
    ) in body
    assert client.get(accept_state).status_code == 405
    assert client.post(accept_region).status_code == 404
    other_funder = f"{base(contract)}objectifs/{objective.pk}/accepter/{fw.world.other_funder.pk}/"
    assert client.post(other_funder).status_code == 404
    assert not ObjectiveAgreement.objects.exists()
    response = client.post(accept_state)
    assert response.status_code == 302
    assert list(ObjectiveAgreement.objects.values_list("funder__name", flat=True)) == [
        "Préfecture du Haut-Rhin"
    ]
    body = body_of(client, contract)
    assert "Doivent encore accepter Région Grand Est Clore l’objectif 1" in body
    assert "Accepter pour" not in body
    response = client.post(accept_state)
    assert response.status_code == 400
    assert (
        f"Le réajustement n’a pas été accepté Formulation proposée : {NEW_STATEMENT} "
        "Préfecture du Haut-Rhin a déjà donné son accord. Retour aux objectifs"
    ) in page_text(response)

    client.force_login(fw.region_admin)
    assert client.post(accept_region).status_code == 302
    pending.refresh_from_db()
    assert pending.agreed_at is not None
    assert [action for action, _changes in actions("contract.objective_")] == [
        "contract.objective_create",
        "contract.objective_readjust",
        "contract.objective_agree",
        "contract.objective_agree",
        "contract.objective_in_force",
    ]
    client.force_login(fw.people["editor"])
    response = client.get(base(contract))
    body = page_text(response)
    assert (
        f"Objectif 1 {NEW_STATEMENT} Cible : 2 communes Version 2, en vigueur depuis le {today()} "
        f"Orientations de la vision Aucune orientation Actions clés {K3} "
        "Réajustements de l’objectif 1, du plus récent au plus ancien "
        "En vigueur depuis le Avant Après Raison Ce qui a été appris "
        f"{today()} {STATEMENT} · cible : 3 communes d’ici 2029 {NEW_STATEMENT} · cible : 2 communes "
        f"{reason} {learning} "
        "Réajuster l’objectif 1 · Clore l’objectif 1"
    ) in body
    assert "Réajustement en attente" not in body
    assert (
        '<div class="overflow-auto" tabindex="0" role="region" '
        f'aria-labelledby="objective-{objective.pk}-history">' in response.content.decode()
    )


@pytest.mark.parametrize("role", ["viewer", "region_officer", "other_funder"])
def test_who_may_not_follow_the_contract_neither_readjusts_nor_closes(client, fw, role):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    client.force_login(fw.region_officer if role == "region_officer" else fw.people[role])
    for url in (
        f"{base(contract)}objectifs/{objective.pk}/reajuster/",
        f"{base(contract)}objectifs/{objective.pk}/clore/",
    ):
        assert client.get(url).status_code == 404, url
        data = {"statement": "X", "reason": "R", "learning": "L", "outcome": "achieved"}
        assert client.post(url, data).status_code == 404
    assert ObjectiveVersion.objects.count() == 1 and not Objective.objects.get().outcome


# Closing ----------------------------------------------------------------------------------------


def test_an_abandoned_objective_is_closed_with_its_lesson_and_counts_as_learning(client, fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    achieved = an_objective(fw, contract, key_actions=("K8",), statement="Ouvrir une régie agricole.")
    active(fw, contract)
    client.force_login(fw.prefecture_admin)  # the lead funder follows the contract too
    close = f"{base(contract)}objectifs/{objective.pk}/clore/"
    body = page_text(client.get(close))
    assert (
        f"Clore l’objectif Objectif : {STATEMENT} Un objectif abandonné dont la leçon tirée est écrite "
        "compte comme apprentissage, pas comme échec. Comment l’objectif se termine : "
        "Atteint Partiellement atteint Abandonné — leçon tirée Ce que cette issue enseigne :"
    ) in body
    response = client.post(close, {"outcome": "lesson", "outcome_note": " "})
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_outcome_note_error"><li>'
        "Écrivez la leçon tirée : c’est ce que laisse un objectif abandonné.</li></ul>"
    ) in response.content.decode()
    assert not Objective.objects.get(pk=objective.pk).outcome and not actions("contract.objective_close")
    lesson = "Mutualiser un poste demande d’abord un bureau commun."
    assert client.post(close, {"outcome": "lesson", "outcome_note": lesson}).status_code == 302
    closed = f"{base(contract)}objectifs/{achieved.pk}/clore/"
    assert client.post(closed, {"outcome": "achieved", "outcome_note": ""}).status_code == 302
    assert list(Objective.objects.order_by("position").values_list("outcome", "outcome_note")) == [
        ("lesson", lesson),
        ("achieved", ""),
    ]
    assert actions("contract.objective_close")[0][1] == {
        "outcome": [None, "lesson"],
        "outcome_note": [None, lesson],
    }
    body = body_of(client, contract)
    assert (
        f"Objectif 1 {STATEMENT} Cible : 3 communes d’ici 2029 "
        f"Orientations de la vision Aucune orientation Actions clés {K3} "
        f"Abandonné — leçon tirée · Compte comme apprentissage Leçon tirée : {lesson} "
        "Objectif 2 Ouvrir une régie agricole. Cible : 3 communes d’ici 2029 "
        f"Orientations de la vision Aucune orientation Actions clés {K8} "
        f"Atteint · clos le {today()} Rapports annuels"
    ) in body
    for absent in ("échec", "Réajuster", "Clore l’objectif"):
        assert absent not in body, absent
    assert client.get(close).status_code == 404  # closed once
    assert len(actions("contract.objective_close")) == 2


def test_a_readjustment_proposed_through_the_service_is_shown_to_the_region_admin_with_its_button(client, fw):
    contract = a_contract(fw)
    objective = an_objective(fw, contract)
    active(fw, contract)
    objective_readjust(
        actor=fw.people["editor"],
        objective=objective,
        statement=NEW_STATEMENT,
        target="",
        reason="Une commune s’est retirée.",
        learning="Commencer à deux.",
    )
    client.force_login(fw.region_admin)
    response = client.get(base(contract))
    assert (
        "Doivent encore accepter Préfecture du Haut-Rhin, Région Grand Est "
        "Accepter pour Région Grand Est — l’objectif 1"
    ) in page_text(response)
    assert "Accepter pour Préfecture" not in page_text(response)
    assert (
        f'<form method="post" action="{base(contract)}objectifs/{objective.pk}/accepter/{fw.region.pk}/" '
        'class="inline-form">'
    ) in response.content.decode()
