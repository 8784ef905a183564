"""Write data/polyphonic_audit.csv: the reading chosen for every polyphonic character of every division name.

A character is polyphonic when pypinyin lists more than one toneless reading for it.  Each row records the
reading the project uses (the one graph.sources.romanize gives, i.e. pypinyin corrected by pinyin_overrides.csv), the
whole name's spelling, and its basis:

* ``source``    — a pinyin_overrides.csv word covering the character cites a source (name_sources.csv);
* ``generic``   — the character belongs to the generic term of the division type (市 shì, 区 qū, 自治州 …)
                  or to the name of an ethnic group (藏族 zàng), read as that term;
* ``inference`` — no source was found for this name: the reading is kept from pypinyin's phrase
                  dictionary or a reviewed override without a source; an inference, not a checked fact.

``python data/polyphonic_audit.py`` writes the file; ``--check`` verifies the committed file is current.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from graph.sources.romanize import _group_forms, _overrides, _strip_ending, romanize, syllables  # noqa: E402

OUT = HERE / "polyphonic_audit.csv"
FIELDS = ("code", "name", "char", "position", "readings", "chosen", "pinyin", "basis", "source")
AUTONOMOUS = frozenset({"自治区", "自治州", "自治县", "自治旗"})


def _readings(ch: str, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if ch not in cache:
        from pypinyin import Style, pinyin

        found = pinyin(ch, style=Style.NORMAL, heteronym=True, v_to_u=True)[0]
        cache[ch] = tuple(sorted({r for r in found if r.isalpha()}))
    return cache[ch]


def _override_sources() -> list[tuple[str, str]]:
    with (HERE / "pinyin_overrides.csv").open(encoding="utf-8", newline="") as fh:
        return [(r["word"], r["source"]) for r in csv.DictReader(fh)]


def rows() -> list[dict[str, str]]:
    overrides = _override_sources()
    known = _overrides()
    cache: dict[str, tuple[str, ...]] = {}
    out: list[dict[str, str]] = []
    with (HERE / "divisions.csv").open(encoding="utf-8", newline="") as fh:
        divisions = list(csv.DictReader(fh))
    for d in divisions:
        name, kind = d["name"], d["type"]
        syls = syllables(name)
        rest, _ = _strip_ending(name, kind)
        generic = set(range(len(rest), len(name)))
        for form, _zh in _group_forms(kind in AUTONOMOUS):
            start = rest.find(form)
            while start >= 0:
                generic |= set(range(start, start + len(form)))
                start = rest.find(form, start + 1)
        for i, ch in enumerate(name):
            readings = _readings(ch, cache)
            if len(readings) < 2:
                continue
            cited = [
                src
                for word, src in overrides
                if src and word in known
                for at in _positions(name, word)
                if at <= i < at + len(word)
            ]
            if cited:
                basis, source = "source", cited[0]
            elif i in generic:
                basis, source = "generic", ""
            else:
                basis, source = "inference", ""
            out.append(
                {
                    "code": d["code"],
                    "name": name,
                    "char": ch,
                    "position": str(i),
                    "readings": "/".join(readings),
                    "chosen": syls[i],
                    "pinyin": romanize(name),
                    "basis": basis,
                    "source": source,
                }
            )
    return out


def _positions(name: str, word: str) -> list[int]:
    found, start = [], name.find(word)
    while start >= 0:
        found.append(start)
        start = name.find(word, start + 1)
    return found


def render() -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return buf.getvalue()


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("data/polyphonic_audit.csv is out of date: run python data/polyphonic_audit.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
