"""The peers of bench/addresses.py, jionlp and cpca, each reading the same addresses; run by the Python of their
own virtualenv (``.cache/bench-addresses-venv``), never ``.venv``:

    .cache/bench-addresses-venv/bin/python bench/address_peers.py jionlp|cpca|cpca-batch < texts.json

Prints one JSON line: the (province, city, county) each parser gives for each address, and the seconds of the
timed part (the parsers' dictionaries are loaded before the clock starts).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from collections.abc import Callable

Answer = list[str | None]


def jionlp_each(texts: list[str]) -> tuple[list[Answer], float]:
    """jionlp, one call per address."""
    import jionlp

    jionlp.parse_location("浙江省杭州市西湖区")  # loads its dictionaries before the clock starts
    out: list[Answer] = []
    start = time.perf_counter()
    for t in texts:
        r = jionlp.parse_location(t)
        out.append([r.get("province"), r.get("city"), r.get("county")])
    return out, time.perf_counter() - start


def cpca_each(texts: list[str]) -> tuple[list[Answer], float]:
    """cpca, one call per address (its interface takes a list: a list of one)."""
    import cpca

    cpca.transform(["浙江省杭州市西湖区"])
    out: list[Answer] = []
    start = time.perf_counter()
    for t in texts:
        row = cpca.transform([t]).iloc[0]
        out.append([row.iloc[0], row.iloc[1], row.iloc[2]])
    return out, time.perf_counter() - start


def cpca_batch(texts: list[str]) -> tuple[list[Answer], float]:
    """cpca, one call for the whole list (throughput, not the time of one lookup)."""
    import cpca

    cpca.transform(["浙江省杭州市西湖区"])
    start = time.perf_counter()
    frame = cpca.transform(texts)
    elapsed = time.perf_counter() - start
    return [[row[0], row[1], row[2]] for row in frame.itertuples(index=False)], elapsed


PARSERS: dict[str, Callable[[list[str]], tuple[list[Answer], float]]] = {
    "jionlp": jionlp_each,
    "cpca": cpca_each,
    "cpca-batch": cpca_batch,
}


def main() -> None:
    texts = json.load(sys.stdin)
    with contextlib.redirect_stdout(io.StringIO()):  # the parsers print while loading
        answers, seconds = PARSERS[sys.argv[1]](texts)
    print(
        json.dumps(
            {"answers": [[x if isinstance(x, str) and x else None for x in a] for a in answers], "seconds": seconds}
        )
    )


if __name__ == "__main__":
    main()
