"""Schemathesis hooks for the fuzz run: SPARQL query bodies are plain text."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/sparql-query", "text/plain")
