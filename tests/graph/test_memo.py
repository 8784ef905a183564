"""graph.memo.per_object: once per live object, by identity, forgotten with the object."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field

from graph.memo import per_object


@dataclass
class Box:  # a mutable dataclass: not hashable, as graph.directory.model.Directory is not
    items: list[int] = field(default_factory=list)


def test_a_value_is_worked_out_once_per_object_and_by_identity() -> None:
    calls: list[int] = []

    @per_object
    def total(b: Box) -> int:
        calls.append(id(b))
        return sum(b.items)

    one, two = Box([1, 2]), Box([1, 2])  # equal, not the same
    assert total(one) == 3 and total(one) == 3
    assert total(two) == 3
    assert calls == [id(one), id(two)]


def test_the_value_is_forgotten_with_its_object() -> None:
    @per_object
    def size(b: Box) -> int:
        return len(b.items)

    boxes = [Box([i]) for i in range(50)]
    for b in boxes:
        size(b)
    held = size.__closure__  # the cache lives in the closure; its dict is the one holding (ref, value) pairs
    assert held is not None
    values = next(c.cell_contents for c in held if isinstance(c.cell_contents, dict))
    assert len(values) == 50
    del boxes, b
    gc.collect()
    assert values == {}


def test_concurrent_first_calls_work_it_out_once() -> None:
    calls = 0
    start = threading.Barrier(8)

    @per_object
    def slow(b: Box) -> int:
        nonlocal calls
        calls += 1
        return len(b.items)

    box = Box([1])
    results: list[int] = []

    def ask() -> None:
        start.wait()
        results.append(slow(box))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1] * 8 and calls == 1
