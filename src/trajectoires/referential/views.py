from django.shortcuts import render

from .selectors import referential_current_version, referential_grids


def referential_page(request):
    version = referential_current_version()
    grids = referential_grids(version) if version else []
    return render(request, "referential/referential.html", {"version": version, "grids": grids})
