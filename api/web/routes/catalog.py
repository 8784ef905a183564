"""The catalogue: committees (listed, one, subordinates, chain), regions, duties and tasks, and search.

The answers of :mod:`graph.answers.catalog` are plain data; a committee and a region get their links here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.openapi.models import Example
from pydantic import BaseModel, Field

from api.web import heavy
from api.web.as_of import AsOf, past_of, read_as_of, with_as_of
from api.web.deps import HEAVY, KGDep, SettingsDep
from api.web.params import service
from api.web.paths import API, committee_path, describe_link, local_path, region_path
from api.web.urls import public_url
from graph.answers import catalog, content
from graph.answers.as_of_note import AsOfNote
from graph.answers.bureau import BureauAnswer, bureau_answer
from graph.answers.catalog import MAX_DEPTH, CommitteeFilter, CommitteePage, RegionChildren, Subordinates
from graph.answers.content import Duty, Task
from graph.answers.jurisdiction import CommitteeRef
from graph.answers.past import committee_as_of, region_as_of
from graph.directory.search import MAX_QUERY_LENGTH, SearchAnswer
from graph.namespaces import Vocab
from graph.vocab import Level

router = APIRouter(prefix=API)


class CommitteeLinks(BaseModel):
    self: str
    chain: str
    subordinates: str
    rdf: str | None = Field(description="The committee's Linked Data document")
    sparql: str = Field(description="A SPARQL DESCRIBE of the committee")


class CommitteeDetail(catalog.CommitteeDetail):
    links: CommitteeLinks


class RegionLinks(BaseModel):
    self: str
    children: str
    committee: str | None
    rdf: str | None


class RegionDetail(catalog.RegionDetail):
    links: RegionLinks


def committee_with_links(detail: catalog.CommitteeDetail, vocab: Vocab) -> CommitteeDetail:
    base = committee_path(detail.id)
    links = CommitteeLinks(
        self=with_as_of(base, _day(detail.as_of)),
        chain=base + "/chain",
        subordinates=base + "/subordinates",
        rdf=local_path(vocab, detail.iri),
        sparql=describe_link(detail.iri),
    )
    return CommitteeDetail(**dict(detail), links=links)


def region_with_links(detail: catalog.RegionDetail, vocab: Vocab) -> RegionDetail:
    base = region_path(detail.code)
    links = RegionLinks(
        self=with_as_of(base, _day(detail.as_of)),
        children=base + "/children",
        committee=committee_path(detail.committee.id) if detail.committee else None,
        rdf=local_path(vocab, detail.iri),
    )
    return RegionDetail(**dict(detail), links=links)


def _day(as_of: AsOfNote | None) -> date | None:
    return date.fromisoformat(as_of.date) if as_of is not None else None


_PROBLEM = "application/problem+json"
UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such committee, region, duty or task: `suggestions` lists close ones",
        "content": {
            _PROBLEM: {
                "example": {
                    "type": "http://127.0.0.1:8000/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "nothing matches '330199'",
                    "query": "330199",
                    "suggestions": [
                        {
                            "id": "330109",
                            "name_zh": "中共杭州市萧山区委保密委员会",
                            "name_en": "Confidentiality Committee of the CPC Xiaoshan District Committee (Hangzhou)",
                            "level": "county",
                        }
                    ],
                }
            }
        },
    }
}
INVALID: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid parameters", "content": {_PROBLEM: {}}}}


def examples(**named: tuple[str, Any]) -> dict[str, Example]:
    """OpenAPI examples of a parameter: name=(summary, value)."""
    return {name: Example(summary=summary, value=value) for name, (summary, value) in named.items()}


CommitteeId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="The division code, 'central', or u-<unit> for a departmental body",
        openapi_examples=examples(
            county=("A district of Hangzhou", "330106"),
            municipality_district=("A district of Beijing", "110105"),
            city_without_counties=("Dongguan, a city without counties", "441900"),
            central=("The Central Confidentiality Committee", "central"),
            departmental=("The Ministry of Foreign Affairs' committee", "u-mfa"),
        ),
    ),
]
RegionCode = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="Six-digit division code, or CN for the nation",
        openapi_examples=examples(
            city=("Hangzhou", "330100"),
            nation=("The nation", "CN"),
            no_counties=("Dongguan, a city without counties", "441900"),
        ),
    ),
]
Levels = Annotated[
    list[Level] | None,
    Query(
        description="Keep these levels (repeat the parameter for several)",
        openapi_examples=examples(
            county=("County-level committees", ["county"]), two=("Municipal and county", ["municipal", "county"])
        ),
    ),
]
Within = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="A region code: committees whose region is it or lies under it",
        openapi_examples=examples(
            city=("Hangzhou and its districts and counties", "330100"), province=("Zhejiang", "330000")
        ),
    ),
]
Under = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="A committee id: the committees below it, departmental bodies included",
        openapi_examples=examples(
            beijing=("Beijing's districts", "110000"), central=("Everything under the centre", "central")
        ),
    ),
]
NameFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Names containing it (Chinese), starting with it (pinyin), or with a word starting with it (English)"
        ),
        openapi_examples=examples(
            zh=("Chinese", "杭州"), pinyin=("Pinyin", "hangzhou"), en=("English", "Foreign Affairs")
        ),
    ),
]
Limit = Annotated[
    int,
    Query(
        ge=1,
        description="Page size, at most the service's max_page_size (1000 by default)",
        openapi_examples=examples(page=("A page of 50", 50)),
    ),
]
Offset = Annotated[
    int,
    Query(
        ge=0,
        description="Items to skip",
        openapi_examples=examples(first=("First page", 0), second=("Second page", 50)),
    ),
]
Depth = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_DEPTH,
        description="How many levels down",
        openapi_examples=examples(one=("Directly guided", 1), two=("Two levels down", 2)),
    ),
]
IncludeDepartmental = Annotated[
    bool,
    Query(
        description="Also list departmental committees and leading groups",
        openapi_examples=examples(yes=("With departmental bodies", True)),
    ),
]
DutyNumber = Annotated[int, Path(description="1 to 8", openapi_examples=examples(leaks=("Leak investigations", 7)))]
TaskNumber = Annotated[
    int, Path(description="1 to 6", openapi_examples=examples(research=("A task without a reason", 5)))
]
SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        description="Chinese (substring), pinyin (prefix; tones and spaces optional), English (word prefix) or a code",
        openapi_examples=examples(
            zh=("Chinese", "杭州"),
            pinyin=("Pinyin with a space", "xi hu"),
            en=("English", "Hangzhou"),
            unit=("A unit", "外交部"),
        ),
    ),
]
SearchLimit = Annotated[
    int, Query(ge=1, le=100, description="Most hits returned", openapi_examples=examples(twenty=("Twenty hits", 20)))
]


@router.get(
    "/committees",
    tags=["committees"],
    response_model=CommitteePage,
    responses={**UNKNOWN, **INVALID},
    dependencies=[HEAVY],
)
def list_committees(
    request: Request,
    kg: KGDep,
    settings: SettingsDep,
    level: Levels = None,
    within: Within = None,
    under: Under = None,
    q: NameFilter = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CommitteePage:
    """Committees filtered by level, region, guiding committee and name, in level order then by id, one page."""
    filters = CommitteeFilter(levels=level or (), within=within, under=under, q=q)
    return catalog.committee_page(
        kg,
        filters,
        limit=limit,
        offset=offset,
        max_limit=settings.max_page_size,
        next_url=lambda n: _next_link(request, limit, n),
    )


def _next_link(request: Request, limit: int, offset: int) -> str:
    following = request.url.include_query_params(limit=limit, offset=offset)
    return public_url(request, f"{following.path}?{following.query}")


@router.get(
    "/committees/{committee_id}", tags=["committees"], response_model=CommitteeDetail, responses={**UNKNOWN, **INVALID}
)
def get_committee(committee_id: CommitteeId, kg: KGDep, as_of: AsOf = None) -> CommitteeDetail:
    """One committee: names, region, office, Party committee, guiding committee, counts, duties and links; with
    `as_of`, the committee of that id as it stood at the end of that day."""
    day = read_as_of(as_of)
    if day is not None:  # a sync handler: it runs in the thread pool, where a past state may be built
        return committee_with_links(committee_as_of(kg.past(day), committee_id), kg.vocab)
    return committee_with_links(catalog.committee_detail(kg, committee_id), kg.vocab)


# The handlers below only read the in-memory directory: async, so they skip the thread pool.
@router.get(
    "/committees/{committee_id}/subordinates",
    tags=["committees"],
    response_model=Subordinates,
    responses={**UNKNOWN, **INVALID},
)
async def get_subordinates(
    committee_id: CommitteeId, kg: KGDep, depth: Depth = 1, include_departmental: IncludeDepartmental = False
) -> Subordinates:
    """The committees a committee guides, down to a depth, each with its depth and guiding committee."""
    return catalog.subordinates(kg, committee_id, depth, include_departmental=include_departmental)


@router.get(
    "/committees/{committee_id}/chain",
    tags=["committees"],
    response_model=list[CommitteeRef],
    responses={**UNKNOWN, **INVALID},
)
async def get_chain(committee_id: CommitteeId, kg: KGDep) -> list[CommitteeRef]:
    """The committee, then each guiding committee up to the Central Confidentiality Committee."""
    return catalog.chain(kg, committee_id)


@router.get(
    "/committees/{committee_id}/bureau",
    tags=["committees"],
    response_model=BureauAnswer,
    responses={**UNKNOWN, **INVALID},
)
async def get_bureau(committee_id: CommitteeId, kg: KGDep) -> BureauAnswer:
    """The secrecy bureau (保密行政管理部门) that is one body with the committee's office, the department that
    guides it, and its powers by level — each with the rule and the articles it rests on; what the texts leave
    open for its kind of region is said in `not_settled`.  A departmental body has none of its own (404, naming
    the bureau of the region it falls under)."""
    return bureau_answer(kg.directory, committee_id)


@router.get("/regions/{code}", tags=["regions"], response_model=RegionDetail, responses={**UNKNOWN, **INVALID})
async def get_region(code: RegionCode, kg: KGDep, as_of: AsOf = None) -> RegionDetail:
    """One administrative region, its committee and its number of child regions; with `as_of`, the region of that
    code as it stood at the end of that day."""
    day = read_as_of(as_of)
    if day is not None:
        return region_with_links(region_as_of(await past_of(kg, day), code), kg.vocab)
    return region_with_links(catalog.region_detail(kg, code), kg.vocab)


@router.get(
    "/regions/{code}/children", tags=["regions"], response_model=RegionChildren, responses={**UNKNOWN, **INVALID}
)
async def get_region_children(code: RegionCode, kg: KGDep) -> RegionChildren:
    """The regions directly under a region, by code."""
    return catalog.region_children(kg, code)


@router.get("/duties", tags=["content"], response_model=list[Duty])
def list_duties(kg: KGDep) -> list[Duty]:
    """The eight duties of a local confidentiality committee (ch5.1.duty1–8)."""
    return content.duties(kg)


@router.get("/duties/{number}", tags=["content"], response_model=Duty, responses={**UNKNOWN, **INVALID})
def get_duty(number: DutyNumber, kg: KGDep) -> Duty:
    """One duty of a local confidentiality committee, with its text and passage."""
    return content.duty(kg, number)


@router.get("/tasks", tags=["content"], response_model=list[Task])
def list_tasks(kg: KGDep) -> list[Task]:
    """The six main tasks of confidentiality work, with their reasons and measures (ch4.2.task1–6)."""
    return content.tasks(kg)


@router.get("/tasks/{number}", tags=["content"], response_model=Task, responses={**UNKNOWN, **INVALID})
def get_task(number: TaskNumber, kg: KGDep) -> Task:
    """One main task with its reason and measures, in Chinese and English, and its passage."""
    return content.task(kg, number)


@router.get("/search", tags=["search"], response_model=SearchAnswer, responses=INVALID)
async def search_all(request: Request, q: SearchText, limit: SearchLimit = 20) -> Response:
    """Committees, regions and units matching a text, best first (exact, prefix, substring; then level and id)."""
    state = service(request)
    _, body = await heavy.run(state.heavy_pool, state.settings.heavy_timeout, heavy.search_job, q, limit)
    return Response(body, media_type="application/json")
