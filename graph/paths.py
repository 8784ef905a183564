"""Where the project's own files live: the checkout that holds this package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "ROOT"]

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
ONTOLOGY_DIR = ROOT / "ontology"
