"""The writes inside a contract: tranches, budget lines, conditions precedent and objectives
(joined into the `contracts` namespace, under /territoires/<slug>/contrats/)."""

from django.urls import path

from . import budget_views
from . import objective_views as objectives

urlpatterns = [
    path("<int:pk>/tranches/nouvelle/", budget_views.tranche_new, name="tranche_new"),
    path("<int:pk>/tranches/<int:tranche>/modifier/", budget_views.tranche_edit, name="tranche_edit"),
    path("<int:pk>/tranches/<int:tranche>/supprimer/", budget_views.tranche_remove, name="tranche_delete"),
    path("<int:pk>/tranches/<int:tranche>/engager/", budget_views.tranche_commit, name="tranche_commit"),
    path("<int:pk>/tranches/<int:tranche>/verser/", budget_views.tranche_pay, name="tranche_pay"),
    path("<int:pk>/budget/nouvelle-ligne/", budget_views.line_new, name="line_new"),
    path("<int:pk>/budget/<int:line>/modifier/", budget_views.line_edit, name="line_edit"),
    path("<int:pk>/budget/<int:line>/supprimer/", budget_views.line_remove, name="line_delete"),
    path("<int:pk>/budget/<int:line>/depenses/", budget_views.line_spend, name="line_spend"),
    path("<int:pk>/conditions/nouvelle/", budget_views.condition_new, name="condition_new"),
    path(
        "<int:pk>/conditions/<int:condition>/supprimer/",
        budget_views.condition_remove,
        name="condition_delete",
    ),
    path("<int:pk>/objectifs/nouveau/", objectives.objective_new, name="objective_new"),
    path("<int:pk>/objectifs/<int:objective>/modifier/", objectives.objective_edit, name="objective_edit"),
    path(
        "<int:pk>/objectifs/<int:objective>/supprimer/",
        objectives.objective_remove,
        name="objective_delete",
    ),
    path(
        "<int:pk>/objectifs/<int:objective>/reajuster/",
        objectives.objective_readjust,
        name="objective_readjust",
    ),
    path(
        "<int:pk>/objectifs/<int:objective>/accepter/<int:funder>/",
        objectives.objective_agree,
        name="objective_agree",
    ),
    path("<int:pk>/objectifs/<int:objective>/clore/", objectives.objective_close, name="objective_close"),
]
