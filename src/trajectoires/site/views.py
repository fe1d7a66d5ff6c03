from django.shortcuts import render

from trajectoires.geo.selectors import area_counts
from trajectoires.territories.selectors import territory_count, territory_list


def home(request):
    context = {
        "area_counts": area_counts(),
        "territory_count": territory_count(),
        "territories": territory_list()[:6],
    }
    return render(request, "site/home.html", context)
