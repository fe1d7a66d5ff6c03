from django.urls import path, register_converter

from . import views
from .enums import AreaKind


class AreaKindConverter:
    regex = "|".join(AreaKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(AreaKindConverter, "area_kind")

app_name = "geo"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<area_kind:kind>/<str:code>/", views.area_detail, name="area"),
]
