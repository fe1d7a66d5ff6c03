"""The one pagination component: its links keep the page's filters, or — on a page with several lists
— move only their own list's parameter, to its anchor."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def links(query: str, **context) -> str:
    request = RequestFactory().get("/territoires/ungersheim/controverses/" + query)
    page = Paginator(range(95), 30).get_page(2)
    with translation.override("fr"):
        return render_to_string("components/pagination.html", {"page": page, **context}, request=request)


def test_the_links_keep_the_filters_of_the_page():
    html = links("?stage=decided&area=water&page=2")
    assert '<a href="?stage=decided&amp;area=water&amp;page=1">Précédent</a>' in html
    assert "<span>Page 2 sur 4</span>" in html
    assert '<a href="?stage=decided&amp;area=water&amp;page=3">Suivant</a>' in html


def test_a_list_among_several_moves_its_own_parameter_to_its_anchor():
    html = links("?page_commune=2", param="page_commune", anchor="below-commune", label="Pages des communes")
    assert '<nav class="pagination" aria-label="Pages des communes">' in html
    assert '<a href="?page_commune=1#below-commune">Précédent</a>' in html
    assert '<a href="?page_commune=3#below-commune">Suivant</a>' in html


def test_a_single_page_shows_no_navigation():
    request = RequestFactory().get("/")
    page = Paginator(range(3), 30).get_page(1)
    assert render_to_string("components/pagination.html", {"page": page}, request=request).strip() == ""
