"""The alliance-wide view of funding and its open data (`alliance_funding:`), at /financements/."""

from django.urls import path

from . import open_data_views, portfolio_views

app_name = "alliance_funding"
urlpatterns = [
    path("", portfolio_views.alliance_portfolio_page, name="index"),
    path("360giving.json", open_data_views.giving360_json, name="giving360_json"),
    path("360giving.xlsx", open_data_views.giving360_spreadsheet, name="giving360_xlsx"),
]
