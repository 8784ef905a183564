"""Where the project's own files live: the checkout that holds this package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from graph.settings import data_dir

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "ROOT", "module_file"]

ROOT = Path(__file__).resolve().parent.parent
# Another data folder can be given for a build over other (e.g. corrected or test) inputs.
DATA_DIR = data_dir(ROOT / "data")
ONTOLOGY_DIR = ROOT / "ontology"


def module_file(name: str) -> Path:
    """The source file of a module of this project, by its dotted name (a renamed or moved module fails here)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {name}")
    return Path(spec.origin)
