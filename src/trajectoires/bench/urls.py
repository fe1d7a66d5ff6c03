"""The platform's URLs plus a bare view: the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from trajectoires.config.urls import urlpatterns as platform_urlpatterns

FLOOR_PATH = "/__bench__/floor"


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(FLOOR_PATH.lstrip("/"), floor), *platform_urlpatterns]
