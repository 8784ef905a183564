"""The content of the source text: the eight duties of a local committee and the six main tasks of
confidentiality work, with their reasons and measures, read from the store as the graph holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

from graph.answers.view import GraphView
from graph.errors import NotFound
from graph.sources.textbook import Duty, Measure, Task
from graph.store.backend import Row, value

__all__ = ["Duty", "DutyRef", "Measure", "Task", "duties", "duty", "task", "tasks"]


class DutyRef(BaseModel):
    number: int
    label_zh: str
    label_en: str


_DUTIES = """
SELECT ?d ?n ?label_zh ?label_en ?text_zh ?text_en ?passage WHERE {
  ?d a bm:Duty ; bm:ordinal ?n .
  OPTIONAL { ?d rdfs:label ?label_zh FILTER (lang(?label_zh) = "zh") }
  OPTIONAL { ?d rdfs:label ?label_en FILTER (lang(?label_en) = "en") }
  OPTIONAL { ?d bm:text ?text_zh FILTER (lang(?text_zh) = "zh") }
  OPTIONAL { ?d bm:text ?text_en FILTER (lang(?text_en) = "en") }
  OPTIONAL { ?d dct:source ?p . ?p bm:passageId ?passage }
} ORDER BY ?n"""

_TASKS = """
SELECT ?t ?n ?label_zh ?label_en ?reason_zh ?reason_en ?passage WHERE {
  ?t a bm:MainTask ; bm:ordinal ?n .
  OPTIONAL { ?t rdfs:label ?label_zh FILTER (lang(?label_zh) = "zh") }
  OPTIONAL { ?t rdfs:label ?label_en FILTER (lang(?label_en) = "en") }
  OPTIONAL { ?t bm:reason ?reason_zh FILTER (lang(?reason_zh) = "zh") }
  OPTIONAL { ?t bm:reason ?reason_en FILTER (lang(?reason_en) = "en") }
  OPTIONAL { ?t dct:source ?p . ?p bm:passageId ?passage }
} ORDER BY ?n"""

_MEASURES = """
SELECT ?t ?m ?n ?text_zh ?text_en WHERE {
  ?t a bm:MainTask ; bm:hasMeasure ?m . ?m bm:ordinal ?n .
  OPTIONAL { ?m bm:text ?text_zh FILTER (lang(?text_zh) = "zh") }
  OPTIONAL { ?m bm:text ?text_en FILTER (lang(?text_en) = "en") }
} ORDER BY ?t ?n"""


def _text(row: Row, name: str) -> str:
    return value(row.get(name))


def duties(kg: GraphView) -> list[Duty]:
    """The eight duties of a local committee, as the graph holds them."""
    return [
        Duty(
            number=int(value(r["n"])),
            iri=value(r["d"]),
            label_zh=_text(r, "label_zh"),
            label_en=_text(r, "label_en"),
            text_zh=_text(r, "text_zh"),
            text_en=_text(r, "text_en"),
            passage=_text(r, "passage"),
        )
        for r in kg.backend.select(kg.vocab.sparql_prologue() + _DUTIES)
    ]


def tasks(kg: GraphView) -> list[Task]:
    """The six main tasks of confidentiality work with their reasons and measures, as the graph holds them."""
    prologue = kg.vocab.sparql_prologue()
    measures: dict[str, list[Measure]] = {}
    for r in kg.backend.select(prologue + _MEASURES):
        measures.setdefault(value(r["t"]), []).append(
            Measure(
                number=int(value(r["n"])), iri=value(r["m"]), text_zh=_text(r, "text_zh"), text_en=_text(r, "text_en")
            )
        )
    return [
        Task(
            number=int(value(r["n"])),
            iri=value(r["t"]),
            label_zh=_text(r, "label_zh"),
            label_en=_text(r, "label_en"),
            reason_zh=_text(r, "reason_zh") or None,
            reason_en=_text(r, "reason_en") or None,
            measures=sorted(measures.get(value(r["t"]), []), key=lambda m: m.number),
            passage=_text(r, "passage"),
        )
        for r in kg.backend.select(prologue + _TASKS)
    ]


_Numbered = TypeVar("_Numbered", Duty, Task)


def _numbered(items: Sequence[_Numbered], number: int, what: str) -> _Numbered:
    for item in items:
        if item.number == number:
            return item
    raise NotFound(
        f"{what} {number}", [{"number": i.number, "label_zh": i.label_zh, "label_en": i.label_en} for i in items]
    )


def duty(kg: GraphView, number: int) -> Duty:
    """One duty by its number (1–8)."""
    return _numbered(duties(kg), number, "duty")


def task(kg: GraphView, number: int) -> Task:
    """One main task by its number (1–6)."""
    return _numbered(tasks(kg), number, "task")
