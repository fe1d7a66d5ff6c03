"""A territory's vision and the essential needs it covers (K1, K3).

Saving sends the version the caller started from; when the vision has moved on since, the answer
is 409 and nothing is written — the caller merges and sends again, as on the page.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Vision
from trajectoires.steering.vision import (
    OrientationInput,
    VisionConflict,
    needs_coverage,
    vision_of,
    vision_save,
)
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import ApiError, error_responses, invalid

router = Router(tags=["vision"])


class OrientationOut(Schema):
    title: str
    description: str
    needs: list[str] = Field(description="Codes of the référentiel's essential needs.")


class CoverageOut(Schema):
    need: str
    covered_by: list[str]


class VisionOut(Schema):
    territory: str
    version: int
    horizon_year: int
    statement: str
    attachments: str
    stakes_to_lose: str
    stakes_to_gain: str
    visibility: Visibility
    orientations: list[OrientationOut]
    coverage: list[CoverageOut]


class OrientationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    description: str = ""
    needs: list[str]


class VisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, description="The version you started from (0 for a first vision).")
    horizon_year: int
    statement: str = Field(json_schema_extra={"minLength": 1})
    attachments: str = ""
    stakes_to_lose: str = ""
    stakes_to_gain: str = ""
    visibility: Visibility = Visibility.PRIVATE
    orientations: list[OrientationIn] = Field(default_factory=list)
    reason: str = Field(json_schema_extra={"minLength": 1, "maxLength": 300})


def _out(vision: Vision) -> dict[str, Any]:
    return {
        "territory": vision.territory.slug,
        "version": vision.version,
        "horizon_year": vision.horizon_year,
        **{
            name: getattr(vision, name)
            for name in ("statement", "attachments", "stakes_to_lose", "stakes_to_gain")
        },
        "visibility": vision.visibility,
        "orientations": [
            {"title": o.title, "description": o.description, "needs": [n.code for n in o.needs.all()]}
            for o in vision.orientations.all()
        ],
        "coverage": [
            {"need": row.need.code, "covered_by": row.orientations} for row in needs_coverage(vision)
        ],
    }


def _orientations(payload: VisionIn) -> list[OrientationInput]:
    needs = {item.code: item for item in referential_items("essential_need")}
    unknown = sorted({code for o in payload.orientations for code in o.needs if code not in needs})
    if unknown:
        raise invalid(
            {"orientations": [_("Unknown essential needs: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return [
        OrientationInput(o.title, [needs[code] for code in o.needs], o.description)
        for o in payload.orientations
    ]


@router.get(
    "/{slug:slug}/vision",
    response={200: VisionOut, **error_responses(401, 404)},
    summary="Read a territory's vision",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_vision(request: HttpRequest, slug: str):
    vision = vision_of(request.user, territory_get(slug))
    if vision is None:
        raise Http404
    return _out(vision)


@router.put(
    "/{slug:slug}/vision",
    auth=SIGNED_IN,
    response={200: VisionOut, **error_responses(400, 401, 403, 404, 409, 413, 422)},
    summary="Save the vision as its next version (admins, editors)",
)
def save_vision(request: HttpRequest, slug: str, payload: VisionIn):
    territory = territory_get(slug)
    data = payload.model_dump(exclude={"orientations", "version"})
    try:
        vision_save(
            actor=request.user,
            territory=territory,
            expected_version=payload.version,
            orientations=_orientations(payload),
            **data,
        )
    except PermissionDenied:
        raise Http404 from None
    except VisionConflict as conflict:
        raise ApiError(
            409,
            "conflict",
            _(
                "The vision was saved meanwhile (now version %(version)s): merge and send "
                "again from that version."
            )
            % {"version": conflict.current.version},
        ) from None
    except ValidationError as error:
        raise invalid(error.message_dict) from None
    return _out(vision_of(request.user, territory))
