"""A funder's programmes, area of competence and contracts (`funding:` names), mounted at
`/financeurs/<slug>/` before the funder's own pages."""

from django.urls import path

from . import contract_views, portfolio_views, programme_views, report_views

app_name = "funding"
urlpatterns = [
    path("contrats/", contract_views.funder_contracts_page, name="contracts"),
    path("contrats/nouveau/", contract_views.contract_new, name="contract_new"),
    path("programmes/", programme_views.programmes_page, name="programmes"),
    path("nouveau-programme/", programme_views.programme_new, name="programme_new"),
    path("programmes/<slug:programme>/", programme_views.programme_detail, name="programme"),
    path("programmes/<slug:programme>/modifier/", programme_views.programme_edit, name="programme_edit"),
    path("competence/", programme_views.competence_page, name="competence"),
    path("portefeuille/", portfolio_views.funder_portfolio_page, name="portfolio"),
    path("rapports/", report_views.funder_reports, name="reports"),
]
