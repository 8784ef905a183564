"""The README's example answers are the service's answers: every `"key": value` the README prints after a curl
request of the tour (a string, number, true, false or null written out whole) is in the live answer to that request,
and every line it prints after a command that reads the graph (``lookup``, ``stats``, ``changes``) is a line of that
command's output (of its JSON, the values as above), with the exit code it shows.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.cli.main import main

README = Path(__file__).resolve().parent.parent / "README.md"
BASE = "http://127.0.0.1:8000"
# A key and a whole scalar value: a string without an ellipsis, a number, true, false or null.
PAIR = re.compile(r'"([\w-]+)": ("(?:[^"\\…]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)(?=\s*[,}\]])')


def examples(text: str) -> Iterator[tuple[str, dict[str, str], str]]:
    """(path, query parameters, printed answer) of every console block that curls the service and prints JSON."""
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        lines = block.replace("\\\n", " ").splitlines()
        if not lines or not lines[0].startswith("$ curl") or BASE not in lines[0]:
            continue
        answer = "\n".join(lines[1:])
        if not answer.lstrip().startswith("{"):
            continue
        words = shlex.split(lines[0][2:])
        url = next(w for w in words if w.startswith(BASE))
        params = dict(
            w.split("=", 1) for w, flag in zip(words[1:], words[:-1], strict=True) if flag == "--data-urlencode"
        )
        yield urlsplit(url).path, params, answer


def pairs(value: Any) -> Iterator[tuple[str, str]]:
    """Every (key, JSON of a scalar value) of an answer, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(v, dict | list):
                yield k, json.dumps(v, ensure_ascii=False)
            yield from pairs(v)
    elif isinstance(value, list):
        for item in value:
            yield from pairs(item)


CASES = list(examples(README.read_text(encoding="utf-8")))
COMMANDS = ("lookup", "stats", "changes")  # the commands that read the graph and print what they found
EXIT = re.compile(r'; echo "exit \$\?"$')


def commands(text: str) -> Iterator[tuple[list[str], list[str], int]]:
    """(arguments, printed lines, exit code) of every ``$ .venv/bin/baomi-kg`` line of the README running one of
    :data:`COMMANDS`; its printed lines are those up to the next prompt, an ``exit N`` line giving the exit code."""
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            first, *printed = chunk.rstrip("\n").splitlines()
            command = first.removeprefix(".venv/bin/baomi-kg ")
            if command == first or command.split()[0] not in COMMANDS:
                continue
            code = 0
            if EXIT.search(command):
                command = EXIT.sub("", command)
                code = int(printed.pop().removeprefix("exit "))
            yield shlex.split(command), [line for line in printed if line.strip()], code


RUNS = list(commands(README.read_text(encoding="utf-8")))


def test_the_tour_has_examples_to_check() -> None:
    paths = {path for path, _, _ in CASES}
    assert {
        "/api/v1/classification-authority",
        "/api/v1/jurisdiction/incident",
        "/api/v1/jurisdiction",
        "/api/v1/changes",
    } <= paths
    assert {tuple(args[:1]) for args, _, _ in RUNS} == {(c,) for c in COMMANDS}
    assert ["lookup", "襄樊", "--as-of", "2009-06-30"] in [args for args, _, _ in RUNS]


@pytest.mark.parametrize(("path", "params", "printed"), CASES, ids=[f"{p} {q}" for p, q, _ in CASES])
def test_every_value_the_readme_prints_is_in_the_answer(
    client: TestClient, path: str, params: dict[str, str], printed: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    live = set(pairs(r.json()))
    claimed = [(k, json.dumps(json.loads(v), ensure_ascii=False)) for k, v in PAIR.findall(printed)]
    assert claimed, "the example prints no whole value"
    assert [c for c in claimed if c not in live] == []


def test_a_value_the_answer_does_not_have_is_caught() -> None:
    live = set(pairs({"a": {"b": [{"name_zh": "淳安县国家保密局", "n": 24}]}}))
    assert ("name_zh", '"淳安县国家保密局"') in live and ("n", "24") in live
    assert ("n", "48") not in live and ("name_zh", '"杭州市国家保密局"') not in live


@pytest.mark.parametrize(("args", "printed", "code"), RUNS, ids=[" ".join(a) for a, _, _ in RUNS])
def test_every_line_the_readme_prints_is_in_the_output(
    capsys: pytest.CaptureFixture[str], args: list[str], printed: list[str], code: int
) -> None:
    assert main(args) == code
    captured = capsys.readouterr()
    out = captured.out + captured.err  # a failed lookup says why on stderr
    if out.lstrip().startswith("{"):
        live = set(pairs(json.loads(out)))
        claimed = [(k, json.dumps(json.loads(v), ensure_ascii=False)) for k, v in PAIR.findall("\n".join(printed))]
        assert claimed and [c for c in claimed if c not in live] == []
        return
    lines = {line.rstrip() for line in out.splitlines()}
    shown = [line.rstrip() for line in printed if "…" not in line]
    assert shown and [line for line in shown if line not in lines] == []
