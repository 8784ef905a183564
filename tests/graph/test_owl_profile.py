"""The OWL ontology in ``ontology/`` is in OWL 2 DL, as the OWL API's own profile check (``OWL2DLProfile``, the
check Protégé runs) sees it, and its header metadata are annotations of the ontology.

The OWL API comes from Debian (``libowlapi-java``); ``OwlDlProfile.java`` beside this file loads each document with
it, runs the profile check and prints what it found.  Every ``.ttl`` file of ``ontology/`` that the build reads as
the vocabulary is checked (all but ``shapes.ttl``, which holds SHACL shapes, not OWL).  A copy with the faults the
check was written against put back must fail it, so the check is known to bite.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from graph.namespaces import Vocab
from graph.paths import ONTOLOGY_DIR
from tests.helpers.java import JAVA_DIR, debian_classpath

pytestmark = pytest.mark.slow  # runs the OWL API (Java) over the ontology

PACKAGE = "libowlapi-java"
CHECKER = Path(__file__).with_name("OwlDlProfile.java")
ONTOLOGY = Vocab().ontology
ONTOLOGY_FILES = sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != "shapes.ttl")  # as graph/build.py reads
HEADER_METADATA = {str(p) for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.source)}


@dataclass
class Report:
    """What the OWL API found in one document."""

    format: str = ""
    violations: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    annotations: set[str] = field(default_factory=set)  # properties of annotations on the ontology itself
    declarations: dict[str, set[str]] = field(default_factory=dict)  # IRI -> entity types it is declared as
    individuals: set[str] = field(default_factory=set)


def _owlapi_classpath() -> str:
    java = shutil.which("java")
    if java is None or shutil.which("dpkg-query") is None or not (JAVA_DIR / "owlapi-distribution.jar").is_file():
        pytest.fail(
            f"the OWL 2 DL profile check needs Debian's {PACKAGE} and a JDK: "
            f"apt-get install {PACKAGE} default-jdk-headless"
        )
    # The OSGi bundle repeats the API's classes.
    return ":".join(debian_classpath(PACKAGE, leave_out=("osgidistribution",)))


def _check(paths: list[Path]) -> dict[str, Report]:
    done = subprocess.run(
        ["java", "-cp", _owlapi_classpath(), str(CHECKER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"the OWL API could not check the ontology:\n{done.stderr[-3000:]}"
    reports: dict[str, Report] = {}
    report = Report()
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "document":
            report = reports.setdefault(rest, Report())
        elif kind == "format":
            report.format = rest
        elif kind == "violation":
            report.violations.append(rest)
        elif kind == "unparsed":
            report.unparsed.append(rest)
        elif kind == "annotation":
            report.annotations.add(rest)
        elif kind == "declaration":
            entity_type, _, iri = rest.partition("\t")
            report.declarations.setdefault(iri, set()).add(entity_type)
        elif kind == "individual":
            report.individuals.add(rest)
    assert sorted(reports) == sorted(map(str, paths)), done.stdout[-3000:]
    return reports


def _broken_copy(folder: Path) -> Path:
    """The ontology as it was before it was made DL: SKOS classes undeclared, the title a datatype property."""
    text = (ONTOLOGY_DIR / "baomi.ttl").read_text(encoding="utf-8")
    broken = text.replace("skos:Concept a owl:Class ;", "skos:Concept rdfs:seeAlso skos: ;")
    broken = broken.replace("dct:title a owl:AnnotationProperty ;", "dct:title a owl:DatatypeProperty ;")
    assert broken.count("owl:DatatypeProperty") == text.count("owl:DatatypeProperty") + 1
    assert "skos:Concept a owl:Class" not in broken
    path = folder / "broken.ttl"
    path.write_text(broken, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Report], Report]:
    """The reports of the ontology files and of the broken copy, from one run of the checker."""
    assert ONTOLOGY_FILES
    broken = _broken_copy(tmp_path_factory.mktemp("owl-profile"))
    found = _check([*ONTOLOGY_FILES, broken])
    return {p: r for p, r in found.items() if p != str(broken)}, found[str(broken)]


def test_ontology_is_owl2_dl(reports: tuple[dict[str, Report], Report]) -> None:
    ontology, _ = reports
    for path, report in ontology.items():
        assert report.format == "Turtle", path
        assert report.unparsed == [], path
        assert report.violations == [], f"{path}: {len(report.violations)} OWL 2 DL violations"


def test_header_metadata_are_ontology_annotations(reports: tuple[dict[str, Report], Report]) -> None:
    report = reports[0][str(ONTOLOGY_DIR / "baomi.ttl")]
    header = Graph().parse(ONTOLOGY_DIR / "baomi.ttl", format="turtle")
    written = {str(p) for p in header.predicates(URIRef(ONTOLOGY), None)} - {str(RDF.type)}
    assert written >= HEADER_METADATA
    # Every fact the header states is an annotation of the ontology, none an assertion on an individual.
    assert written - {"http://www.w3.org/2002/07/owl#versionIRI"} == report.annotations
    assert ONTOLOGY not in report.individuals
    reused = {
        p
        for p in report.annotations
        if not p.startswith(("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#"))
    }
    assert reused >= HEADER_METADATA
    assert {p: report.declarations.get(p) for p in reused} == {p: {"AnnotationProperty"} for p in reused}


def test_the_check_fails_the_faults_it_was_written_against(reports: tuple[dict[str, Report], Report]) -> None:
    _, broken = reports
    assert any(
        "Use of undeclared class: <http://www.w3.org/2004/02/skos/core#Concept>" in v for v in broken.violations
    ), broken.violations
    assert str(DCTERMS.title) not in broken.annotations
    assert broken.declarations[str(DCTERMS.title)] == {"DataProperty"}
    assert ONTOLOGY in broken.individuals
