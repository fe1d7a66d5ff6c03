"""The public grants in the 360Giving Data Standard, for anyone (open data): JSON and spreadsheet."""

from django.http import HttpResponse, JsonResponse

from .giving360 import package, spreadsheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def giving360_json(request):
    data = package(_base_url(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="trajectoires-360giving.json"'
    return response


def giving360_spreadsheet(request):
    response = HttpResponse(spreadsheet(_base_url(request)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="trajectoires-360giving.xlsx"'
    return response
