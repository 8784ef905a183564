"""The source textbook's passages, duties, tasks and management system, from ``data/textbook.toml``.

A :class:`Duty`, :class:`Task` and :class:`Measure` are also what the service answers about them
(:mod:`graph.answers.content`), read back from the graph with their IRIs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.errors import DataError
from graph.paths import DATA_DIR

__all__ = ["Duty", "Item", "Measure", "Passage", "Task", "Textbook", "load_textbook"]


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    location: str
    label_zh: str
    label_en: str
    text_zh: str
    summary_en: str


@dataclass(frozen=True, slots=True)
class Item:
    """A pillar or a capability of the management system."""

    id: str
    order: int
    label_zh: str
    label_en: str
    passage: str
    role_zh: str = ""
    role_en: str = ""


_IRI = Field("", description="Its IRI in the graph (empty as read from the textbook's file)")
_PASSAGE = Field(description="Id of the passage it rests on")


class Measure(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    iri: str = _IRI
    text_zh: str
    text_en: str


class Task(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    iri: str = _IRI
    label_zh: str
    label_en: str
    reason_zh: str | None = Field(None, description="Why the task matters (task 5 has none)")
    reason_en: str | None = None
    measures: tuple[Measure, ...]
    passage: str = _PASSAGE


class Duty(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    label_zh: str
    label_en: str
    iri: str = _IRI
    text_zh: str
    text_en: str
    passage: str = _PASSAGE


@dataclass(frozen=True, slots=True)
class Textbook:
    title_zh: str
    title_en: str
    description_en: str
    passages: tuple[Passage, ...]
    pillars: tuple[Item, ...]
    capabilities: tuple[Item, ...]
    tasks: tuple[Task, ...]
    duties: tuple[Duty, ...]

    @property
    def passage_ids(self) -> set[str]:
        return {p.id for p in self.passages}


def _items(raw: list[dict[str, Any]]) -> tuple[Item, ...]:
    return tuple(
        Item(
            r["id"],
            int(r["order"]),
            r["label_zh"],
            r["label_en"],
            r["passage"],
            r.get("role_zh", ""),
            r.get("role_en", ""),
        )
        for r in raw
    )


@cache
def load_textbook(path: Path | None = None) -> Textbook:
    path = path or DATA_DIR / "textbook.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        book = Textbook(
            title_zh=raw["source"]["title_zh"],
            title_en=raw["source"]["title_en"],
            description_en=raw["source"]["description_en"],
            passages=tuple(
                Passage(p["id"], p["location"], p["label_zh"], p["label_en"], p["text_zh"].strip(), p["summary_en"])
                for p in raw["passage"]
            ),
            pillars=_items(raw["pillar"]),
            capabilities=_items(raw["capability"]),
            tasks=tuple(
                Task(
                    number=int(t["number"]),
                    passage=t["passage"],
                    label_zh=t["label_zh"],
                    label_en=t["label_en"],
                    reason_zh=t.get("reason_zh") or None,
                    reason_en=t.get("reason_en") or None,
                    measures=tuple(
                        Measure(number=int(m["number"]), text_zh=m["text_zh"], text_en=m["text_en"])
                        for m in t["measure"]
                    ),
                )
                for t in raw["task"]
            ),
            duties=tuple(
                Duty(
                    number=int(d["number"]),
                    passage=d["passage"],
                    label_zh=d["label_zh"],
                    label_en=d["label_en"],
                    text_zh=d["text_zh"],
                    text_en=d["text_en"],
                )
                for d in raw["duty"]
            ),
        )
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"cannot read {path}: {exc!r}") from exc
    cited = (
        {i.passage for i in book.pillars + book.capabilities}
        | {t.passage for t in book.tasks}
        | {d.passage for d in book.duties}
    )
    missing = cited - book.passage_ids
    if missing:
        raise DataError(f"{path.name}: passages cited but not defined: {sorted(missing)}")
    return book
