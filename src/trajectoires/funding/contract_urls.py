"""A territory's engagement contracts, mounted at `/territoires/<slug>/contrats/` (`contracts:`)."""

from django.urls import path

from . import contract_views as views

ACTION_PATHS = {
    "propose": "proposer",
    "withdraw": "retirer-la-proposition",
    "sign": "signer",
    "activate": "activer",
    "review": "revue-a-mi-parcours",
    "close": "cloturer",
}

urlpatterns = [
    path("", views.contracts_page, name="index"),
    path("nouveau/", views.contract_new_here, name="new"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/modifier/", views.contract_edit, name="edit"),
    path("<int:pk>/supprimer/", views.contract_remove, name="delete"),
    path("<int:pk>/cofinanceurs/ajouter/", views.party_new, name="party_add"),
    path("<int:pk>/cofinanceurs/<int:party>/modifier/", views.party_edit, name="party_edit"),
    path("<int:pk>/cofinanceurs/<int:party>/retirer/", views.party_remove_page, name="party_remove"),
    *(
        path(f"<int:pk>/{segment}/", views.contract_action, {"action": action}, name=action)
        for action, segment in ACTION_PATHS.items()
    ),
]
