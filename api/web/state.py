"""What the service holds while it runs: settings, the opened graph and its metrics."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from api.web.gate import Gate
from graph.kg import KnowledgeGraph
from graph.settings import Settings
from graph.sparql.workers import WorkerPool

__all__ = ["Metrics", "ServiceState"]


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter("baomi_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r)
        self.latency = Histogram(
            "baomi_http_request_seconds",
            "HTTP request latency",
            ["route"],
            registry=r,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 10),
        )
        self.queries = Counter(
            "baomi_sparql_queries_total", "SPARQL queries by form and outcome", ["form", "outcome"], registry=r
        )
        self.triples = Gauge("baomi_store_triples", "Quads in the store", registry=r)


@dataclass
class ServiceState:
    settings: Settings
    kg: KnowledgeGraph
    metrics: Metrics
    ready: bool = False
    started: asyncio.Event = field(default_factory=asyncio.Event)  # the workers run (see api.web.startup)
    start_error: Exception | None = None  # why the workers could not start, when they could not
    heavy: Gate = field(init=False)
    heavy_pool: WorkerPool = field(init=False)  # exports and search (see api.web.heavy), set once started

    def __post_init__(self) -> None:
        s = self.settings
        self.heavy = Gate(s.heavy_slots, s.max_waiting_heavy, s.max_wait_heavy)
