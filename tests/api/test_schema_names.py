"""The OpenAPI document names each schema by its class name: two classes of the same name in two API
modules would silently share one description, and one of the two endpoints would document the other's
shape. A name is therefore shared only by classes of exactly the same shape."""

import importlib
import inspect
import json
import pkgutil
from collections import defaultdict

from ninja import Schema

import trajectoires.api.v1 as api_package


def schema_classes_by_name() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.iter_modules(api_package.__path__):
        module = importlib.import_module(f"{api_package.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                found[name].add(module.__name__)
    return found


def test_no_two_api_schemas_share_a_name_unless_they_are_the_same_shape():
    clashes = {}
    for name, modules in schema_classes_by_name().items():
        if len(modules) < 2:
            continue
        shapes = {
            json.dumps(vars(importlib.import_module(module))[name].model_json_schema(), sort_keys=True)
            for module in modules
        }
        if len(shapes) > 1:
            clashes[name] = sorted(modules)
    assert clashes == {}


def test_the_openapi_document_describes_each_endpoint_with_its_own_schema(client):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert components["NetworkActorRef"]["properties"]["name"]["anyOf"] == [
        {"type": "string"},
        {"type": "null"},
    ]
    assert sorted(components["ActorRef"]["properties"]) == ["id", "name"]
    assert "status" in components["CoherenceDocumentRef"]["properties"]
    assert sorted(components["DocumentRef"]["properties"]) == ["id", "title", "type"]
    assert "coverage" in components["TrainingCoverageOut"]["properties"]
    assert sorted(components["CoverageOut"]["properties"]) == ["covered_by", "need"]
