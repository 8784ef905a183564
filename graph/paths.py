"""Where the project's own files live: the checkout that holds this package."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "ROOT"]

ROOT = Path(__file__).resolve().parent.parent
# Another data folder can be given for a build over other (e.g. corrected or test) inputs.
DATA_DIR = Path(os.environ.get("BAOMI_KG_DATA_DIR") or ROOT / "data")
ONTOLOGY_DIR = ROOT / "ontology"
