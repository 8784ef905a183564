"""A small but closed piece of the country, built as the real graph is: fast enough to validate with SHACL in a test,
and holding every kind of body the shapes speak of."""

from __future__ import annotations

from pyoxigraph import Quad

from graph.build.assemble import Inputs, build_quads, load_inputs
from graph.namespaces import Vocab
from graph.sources.divisions import Divisions

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


def small_quads(vocab: Vocab) -> list[Quad]:
    """The graph of the divisions in ``SUBSET``, with the textbook, two units and the ontology."""
    full = load_inputs()
    divisions = Divisions({code: full.divisions[code] for code in SUBSET})
    return list(build_quads(Inputs(divisions, full.textbook, full.units[:2], full.ontology_ttl), vocab))
