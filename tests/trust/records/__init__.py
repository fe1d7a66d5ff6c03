"""The record types of the permission matrix: one module per app, each defining CASES, a list of
RecordCase (see tests/trust/test_permission_matrix.py for what the matrix checks on them)."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordCase:
    name: str
    create: Callable  # (territory, visibility, author) -> record
    read_url: Callable  # record -> url
    write_url: Callable  # record -> url
    api_url: Callable  # record -> url of the record in the API
    title: Callable  # record -> a text the pages show
    api_text: Callable = lambda body: body.get("title")  # the same text in the API's answer
    history_text: Callable = lambda record: str(record)  # how the history of changes names it


def all_cases() -> list[RecordCase]:
    cases = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        cases += importlib.import_module(f"{__name__}.{module.name}").CASES
    return cases
