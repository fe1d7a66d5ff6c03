"""The pages of a territory's engagement contracts (`contracts:` names)."""

from . import budget_urls, coherence_urls, contract_urls, report_urls

app_name = "contracts"
urlpatterns = (
    contract_urls.urlpatterns + budget_urls.urlpatterns + coherence_urls.urlpatterns + report_urls.urlpatterns
)
