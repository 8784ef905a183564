"""Classification authority (定密权限): may the organs of a place, a central organ or a unit classify a matter at a
level, and where a matter beyond their authority goes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.web.deps import model_response
from api.web.params import DirectRoute, openapi_parameter, required, service
from api.web.paths import CLASSIFICATION_AUTHORITY
from api.web.problems import ProblemError
from api.web.routes.jurisdiction import AMBIGUOUS, INVALID, UNKNOWN
from graph.answers.authority import AuthorityAnswer
from graph.vocab import Classification

router = APIRouter(prefix=CLASSIFICATION_AUTHORITY, tags=["classification authority"])

_PROBLEM = "application/problem+json"
_RULE = "https://w3id.org/baomi-kg/id/rule/"
_WITHIN = "immediately (立即); no number of days is set"
_ANSWERS: dict[str, dict[str, Any]] = {
    "province": {
        "summary": "A province, 绝密: its provincial organs hold all three levels",
        "value": {
            "query": "浙江",
            "organ": {"kind": "provincial", "id": "330000", "name_zh": "浙江省的省级机关"},
            "level": "top-secret",
            "level_zh": "绝密",
            "may_classify": True,
            "highest_level": "top-secret",
            "settled": True,
            "refer_to": None,
            "rules": [_RULE + "classify-top"],
        },
    },
    "districted-city": {
        "summary": "A city divided into districts, 绝密: beyond its 机密, referred to the province",
        "value": {
            "query": "杭州",
            "organ": {"kind": "districted-city", "id": "330100", "name_zh": "杭州市的市级机关"},
            "level": "top-secret",
            "level_zh": "绝密",
            "may_classify": False,
            "highest_level": "secret",
            "settled": True,
            "refer_to": {
                "organ": {"kind": "provincial", "name_zh": "浙江省的省级机关"},
                "bureau": {"name_zh": "浙江省国家保密局"},
                "how": {"zh": "先行采取保密措施，并立即报请浙江省的省级机关确定"},
                "within": _WITHIN,
            },
            "rules": [_RULE + "classify-districted-city", _RULE + "exceeding-authority", _RULE + "classify-top"],
        },
    },
    "city-without-districts": {
        "summary": "东莞 (a city without districts), 机密: not settled by the texts",
        "value": {
            "query": "东莞",
            "organ": {"kind": "city-without-districts", "id": "441900", "name_zh": "东莞市的市级机关"},
            "level": "secret",
            "level_zh": "机密",
            "may_classify": None,
            "highest_level": None,
            "settled": False,
            "refer_to": {
                "organ": {"kind": "provincial", "name_zh": "广东省的省级机关"},
                "bureau": {"name_zh": "广东省国家保密局"},
                "how": {"zh": "先行采取保密措施，并立即报请广东省的省级机关确定"},
                "within": _WITHIN,
            },
            "not_settled": [
                "Whether 东莞市的市级机关 (the city-level organs of Dongguan), the organs of a prefecture-level city "
                "without districts (no 市辖区 under it), count as organs of a city divided into districts "
                "(设区的市级机关) is not stated in the texts read: …"
            ],
        },
    },
    "county": {
        "summary": "A county, 机密: no authority of its own, referred to its city",
        "value": {
            "query": "淳安县",
            "organ": {"kind": "county", "id": "330127", "name_zh": "淳安县的县级机关"},
            "level": "secret",
            "level_zh": "机密",
            "may_classify": False,
            "highest_level": None,
            "settled": True,
            "refer_to": {
                "organ": {"kind": "districted-city", "name_zh": "杭州市的市级机关"},
                "bureau": {"name_zh": "杭州市国家保密局"},
                "how": {"zh": "先行采取保密措施，并立即报请杭州市的市级机关确定"},
                "within": _WITHIN,
            },
            "rules": [_RULE + "classify-none-other", _RULE + "exceeding-authority", _RULE + "classify-districted-city"],
        },
    },
    "unit": {
        "summary": "A department of the State Council, 秘密: a central state organ",
        "value": {
            "query": "外交部",
            "organ": {"kind": "central-organ", "id": "u-mfa", "name_zh": "外交部"},
            "level": "confidential",
            "level_zh": "秘密",
            "may_classify": True,
            "highest_level": "top-secret",
            "settled": True,
            "refer_to": None,
            "rules": [_RULE + "classify-top"],
        },
    },
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Whether the organ may classify at the level asked (`may_classify`, null when the texts leave "
        "it open, with `not_settled` saying what), its highest level, who may delegate more to it, and where a "
        "matter beyond its authority goes (`refer_to`); each with its `rules` and `basis` (trimmed examples)",
        "content": {"application/json": {"examples": _ANSWERS}},
    },
    400: {
        "description": "A level that is not 绝密, 机密 or 秘密 (top-secret, secret, confidential)",
        "content": {
            _PROBLEM: {
                "example": {
                    "type": "http://127.0.0.1:8000/problems/bad-request",
                    "title": "Bad request",
                    "status": 400,
                    "detail": "level: unknown classification level '内部': give 绝密, 机密 or 秘密 "
                    "(top-secret, secret, confidential)",
                    "parameter": "level",
                }
            }
        },
    },
}

ORGAN_PARAMETER = openapi_parameter(
    "organ",
    "The organ: a place (its organs) by division code, name, pinyin or address; 中央 or central (the central "
    "state organs); or a unit by name (外交部)",
    required=True,
    max_length=200,
    examples={
        "province": {"summary": "A province", "value": "浙江"},
        "municipality": {"summary": "A municipality (直辖市)", "value": "北京"},
        "districted-city": {"summary": "A city divided into districts", "value": "杭州"},
        "city-without-districts": {"summary": "A prefecture-level city without districts", "value": "东莞"},
        "autonomous-prefecture": {"summary": "An autonomous prefecture", "value": "延边"},
        "county": {"summary": "A county", "value": "淳安县"},
        "municipality-district": {"summary": "A district of a municipality", "value": "110105"},
        "unit": {"summary": "A department of the State Council", "value": "外交部"},
        "central": {"summary": "The central state organs", "value": "中央"},
    },
)
LEVEL_PARAMETER = openapi_parameter(
    "level",
    "The level of the matter: 绝密, 机密 or 秘密, or top-secret, secret, confidential",
    required=True,
    max_length=40,
    examples={
        "top-secret": {"summary": "绝密 (top secret)", "value": "top-secret"},
        "secret": {"summary": "机密 (secret)", "value": "机密"},
        "confidential": {"summary": "秘密 (confidential)", "value": "confidential"},
    },
)
DELEGATED_PARAMETER = openapi_parameter(
    "delegated",
    "The level up to which the organ holds a written delegation of classification authority (定密授权), if any",
    max_length=40,
    examples={"none": {"summary": "No delegation", "value": ""}, "secret": {"summary": "机密", "value": "secret"}},
)


def _level(name: str, text: str) -> Classification:
    try:
        return Classification.parse(text)
    except ValueError as exc:
        raise ProblemError("bad-request", f"{name}: {exc}", parameter=name) from None


async def get_classification_authority(request: Request) -> Response:
    """May the organ classify a matter at this level of its own authority or by delegation; its highest level; who
    may delegate more to it; and, where it may not, to which organs the matter goes (先行采取保密措施，并立即报请…)."""
    organ = required(request, "organ")
    level = _level("level", required(request, "level"))
    raw = request.query_params.get("delegated")
    delegated = _level("delegated", raw) if raw else None
    return model_response(service(request).kg.classification_authority(organ, level, delegated))


router.add_api_route(
    "",
    get_classification_authority,
    methods=["GET"],
    response_model=AuthorityAnswer,
    responses={**RESPONSES, **AMBIGUOUS, **UNKNOWN, **INVALID},
    openapi_extra={"parameters": [ORGAN_PARAMETER, LEVEL_PARAMETER, DELEGATED_PARAMETER]},
    route_class_override=DirectRoute,
)
