"""A small but closed piece of the country, built as the real graph is: fast enough to validate with SHACL in a test,
and holding every kind of body the shapes speak of."""

from __future__ import annotations

from pyoxigraph import Quad

from graph.build.assemble import Inputs, build_quads, load_inputs
from graph.namespaces import Vocab
from graph.sources.divisions import Divisions
from graph.sources.history import ChangeEvent, load_history

# A province with a city and district, a municipality with a district, a province-administered city, and a
# prefecture city without counties; bodies off the ordinary tree: a 兵团 city, Xiong'an with one entrusted county,
# and 金门 (no CPC body).
SUBSET = (
    "CN",
    "330000",
    "330100",
    "330106",
    "330127",
    "110000",
    "110105",
    "420000",
    "429004",
    "440000",
    "441900",
    "650000",
    "659001",
    "130000",
    "130600",
    "130638",
    "350000",
    "350500",
    "350527",
)


def small_history(full: Divisions) -> tuple[ChangeEvent, ...]:
    """The change events of the divisions in ``SUBSET``: those whose every code is one of them or of a division
    that no longer stands (仙桃 from 沔阳县, 东莞, 石河子, 雄县, 金门, 保定 and 泉州 from their prefectures, and
    the noise of 1983 around 保定)."""
    return tuple(
        e
        for e in load_history()
        if any(c in SUBSET for c in (e.old_code, e.new_code))
        and all(c in SUBSET or c not in full.by_code for c in (e.old_code, e.new_code) if c)
    )


def small_quads(vocab: Vocab) -> list[Quad]:
    """The graph of the divisions in ``SUBSET``, with the textbook, two units, their history and the ontology."""
    full = load_inputs()
    divisions = Divisions({code: full.divisions[code] for code in SUBSET})
    inputs = Inputs(divisions, full.textbook, full.units[:2], full.ontology_ttl, small_history(full.divisions))
    return list(build_quads(inputs, vocab))
