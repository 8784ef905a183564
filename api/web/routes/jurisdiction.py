"""Jurisdiction: which committee and office are competent for a place, a unit or a leak case."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.web.as_of import AS_OF_PARAMETER, AsOf, past_of, read_as_of
from api.web.deps import KGDep, model_response
from api.web.params import DirectRoute, openapi_parameter, required, service
from api.web.paths import JURISDICTION
from graph.answers.incident import IncidentAnswer, incident_for
from graph.answers.jurisdiction import JurisdictionAnswer
from graph.answers.past import incident_as_of
from graph.vocab import DIVISION_LEVELS, Level

router = APIRouter(prefix=JURISDICTION, tags=["jurisdiction"])

_PROBLEM = "application/problem+json"
AMBIGUOUS: dict[int | str, dict[str, Any]] = {
    300: {
        "description": "Several places or units match: `candidates` lists them (code, name, path of higher regions)",
        "content": {
            _PROBLEM: {
                "example": {
                    "type": "http://127.0.0.1:8000/problems/ambiguous",
                    "title": "Ambiguous query",
                    "status": 300,
                    "detail": "'朝阳区' matches 2 places or units",
                    "query": "朝阳区",
                    "candidates": [
                        {
                            "kind": "region",
                            "code": "110105",
                            "name": "朝阳区",
                            "name_en": "Chaoyang District",
                            "level": "county",
                            "path": [{"code": "110000", "name": "北京市"}],
                        },
                        {
                            "kind": "region",
                            "code": "220104",
                            "name": "朝阳区",
                            "name_en": "Chaoyang District",
                            "level": "county",
                            "path": [{"code": "220000", "name": "吉林省"}, {"code": "220100", "name": "长春市"}],
                        },
                    ],
                }
            }
        },
    }
}
UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "Nothing matches: `suggestions` lists close names",
        "content": {
            _PROBLEM: {
                "example": {
                    "type": "http://127.0.0.1:8000/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "nothing matches '杭洲市'",
                    "query": "杭洲市",
                    "suggestions": [
                        {
                            "kind": "region",
                            "code": "330100",
                            "name": "杭州市",
                            "name_en": "Hangzhou",
                            "level": "municipal",
                            "path": [{"code": "330000", "name": "浙江省"}],
                        }
                    ],
                }
            }
        },
    }
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "Invalid or impossible parameters", "content": {_PROBLEM: {}}}
}

_Q_EXAMPLES = {
    "address": {"summary": "An address", "value": "浙江省杭州市西湖区文三路"},
    "code": {"summary": "A division code", "value": "330106"},
    "pinyin": {"summary": "Pinyin", "value": "hangzhou"},
    "province-administered": {"summary": "A county-level city directly under a province", "value": "仙桃"},
    "municipality-district": {"summary": "A district of a municipality", "value": "北京市朝阳区"},
    "unit": {"summary": "A department with its own committee", "value": "外交部"},
    "ambiguous": {"summary": "Ambiguous: answers 300", "value": "朝阳区"},
}
Q_PARAMETER = openapi_parameter(
    "q",
    "A division code, a full or short Chinese name, pinyin, an English name, an address-like string, or a unit's name",
    required=True,
    max_length=200,
    examples=_Q_EXAMPLES,
)


async def get_jurisdiction(request: Request) -> Response:
    """The committee, office and Party committee competent for a place or unit, and its chain up to the centre;
    with `as_of`, as they stood at the end of that day."""
    # Microseconds of work: on the event loop, with the parameter read directly (see api.web.params).
    kg, q = service(request).kg, required(request, "q")
    day = read_as_of(request.query_params.get("as_of"))
    if day is not None:
        await past_of(kg, day)  # the first lookup of a past state builds it, off the event loop
    return Response(kg.lookup_json(q, day), media_type="application/json")


router.add_api_route(
    "",
    get_jurisdiction,
    methods=["GET"],
    response_model=JurisdictionAnswer,
    responses={**AMBIGUOUS, **UNKNOWN, **INVALID},
    openapi_extra={"parameters": [Q_PARAMETER, AS_OF_PARAMETER]},
    route_class_override=DirectRoute,
)


_INCIDENT_OK: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Both lines of a leak: `report_to` (the secrecy bureau of the place, within 24 hours, and the "
        "bureaus it is passed up to), `investigated_by`, and the committee duty 7 points to; each with `rules` "
        "and `basis`",
        "content": {
            "application/json": {
                "example": {
                    "region": {"code": "330127", "name": "淳安县"},
                    "committee": {"id": "330127", "name_zh": "中共淳安县委保密委员会"},
                    "report_to": {
                        "body": {"name_zh": "淳安县国家保密局"},
                        "within_hours": 24,
                        "relayed_to": [
                            {"name_zh": "杭州市国家保密局"},
                            {"name_zh": "浙江省国家保密局"},
                            {"name_zh": "国家保密局"},
                        ],
                        "relay_within_hours": 24,
                        "basis": [
                            "https://w3id.org/baomi-kg/id/article/bmtl-2024-art61p1",
                            "https://w3id.org/baomi-kg/id/article/bmf-2024-art47",
                            "https://w3id.org/baomi-kg/id/article/bmtl-2024-art61p2",
                        ],
                    },
                    "settled": True,
                }
            }
        },
    }
}


@router.get("/incident", response_model=IncidentAnswer, responses={**_INCIDENT_OK, **AMBIGUOUS, **UNKNOWN, **INVALID})
async def get_incident(
    kg: KGDep,
    region: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Where the leak occurred (code, name, pinyin or address); not the nation (CN answers 404)",
            openapi_examples={
                "county": {"summary": "A district", "value": "330106"},
                "municipality-district": {"summary": "A district of Beijing", "value": "北京市朝阳区"},
            },
        ),
    ],
    cadre_level: Annotated[
        Level | None,
        Query(
            description="The level of the Party committee whose organisation department manages the cadre, taken on "
            f"the chain of the place of the leak: {', '.join(DIVISION_LEVELS)} (central: the Party Central "
            "Committee)"
        ),
    ] = None,
    cadre_managed_by: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Instead of cadre_level: the region whose Party committee manages "
            "the cadre (code or name, CN for the Central Committee), or a unit that manages its own cadres (外交部)",
            openapi_examples={
                "another-province": {"summary": "A cadre managed by another province", "value": "江苏省"},
                "central-organ": {"summary": "A cadre of a central organ", "value": "外交部"},
            },
        ),
    ] = None,
    as_of: AsOf = None,
) -> Response:
    """A leak, on both lines: `report_to`, the secrecy bureau of the place to report to within 24 hours, and the
    bureaus up to 国家保密局; `investigated_by`; and the committee duty 7 points to (`committee`, `organised_by`),
    with what the texts leave open; with `as_of`, over the divisions and bodies of that day."""
    day = read_as_of(as_of)
    if day is not None:
        return model_response(incident_as_of(await past_of(kg, day), region, cadre_level, cadre_managed_by))
    return model_response(incident_for(kg.directory, kg.resolver, region, cadre_level, cadre_managed_by))
