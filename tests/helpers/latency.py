"""Latency under load: percentiles, and a probe that keeps asking the service for cheap answers while a test
loads it."""

from __future__ import annotations

import threading
import time

import httpx


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; NaN when there are none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class LatencyProbe:
    """Requests ``/healthz`` and a jurisdiction lookup in turn from a thread of its own, each on a kept-alive
    connection, and records how long each took (and any failure) until stopped."""

    PATHS = {"healthz": "/healthz", "jurisdiction": "/api/v1/jurisdiction?q=330106"}

    def __init__(self, url: str, pause: float = 0.005) -> None:
        self.url = url
        self.pause = pause
        self.samples: dict[str, list[float]] = {name: [] for name in self.PATHS}
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="latency-probe", daemon=True)

    def _run(self) -> None:
        clients = {name: httpx.Client(base_url=self.url, timeout=10) for name in self.PATHS}
        try:
            while not self._stop.is_set():
                for name, path in self.PATHS.items():
                    begun = time.perf_counter()
                    try:
                        status = clients[name].get(path).status_code
                    except httpx.HTTPError as exc:
                        self.failures.append(f"{name}: {type(exc).__name__} {exc}")
                        continue
                    self.samples[name].append(time.perf_counter() - begun)
                    if status != 200:
                        self.failures.append(f"{name}: {status}")
                time.sleep(self.pause)
        finally:
            for client in clients.values():
                client.close()

    def __enter__(self) -> LatencyProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, dict[str, float]]:
        """Milliseconds: p50, p99 and max of each probed path, and the number of samples."""
        return {
            name: {
                "n": len(v),
                "p50": percentile(v, 50) * 1000,
                "p99": percentile(v, 99) * 1000,
                "max": max(v, default=float("nan")) * 1000,
            }
            for name, v in self.samples.items()
        }
