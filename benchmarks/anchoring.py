"""How the ways of mapping evidence offsets through an edit compare, on realistic inputs.

For each scenario (the seed story's body with two words inserted near the
start, with 5 and with 20 random word edits, and a 130,000-character body
with 20 edits), every evidence passage is mapped from the old body to the
new one; "exact" counts passages whose mapped offsets hold their text. The
candidates: what storyfacts uses (rapidfuzz ``Indel.opcodes`` on word tokens,
:class:`storyfacts.anchoring.BodyChange`), diff-match-patch on characters,
and difflib on characters (small bodies only: it took 811 s on the large one).
Libraries that are not installed are skipped: ``pip install diff-match-patch``.

Run: ``python benchmarks/anchoring.py``.
"""

from __future__ import annotations

import difflib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyfacts.anchoring import BodyChange

SEED = Path(__file__).resolve().parent.parent / "seeds" / "putin-xi-olympics-2023.json"
Mapper = Callable[[str, str], Callable[[int, int], tuple[int, int]]]


def _storyfacts(old: str, new: str) -> Callable[[int, int], tuple[int, int]]:
    change = BodyChange(old, new)
    return lambda s, e: (change.map_start(s), change.map_end(e))


def _from_equal_blocks(blocks: list[tuple[int, int, int]]) -> Callable[[int, int], tuple[int, int]]:
    def mapped(s: int, e: int) -> tuple[int, int]:
        out = [-1, -1]
        for i1, i2, j1 in blocks:
            if i1 <= s < i2:
                out[0] = j1 + s - i1
            if i1 < e <= i2:
                out[1] = j1 + e - i1
        return out[0], out[1]

    return mapped


def _difflib(old: str, new: str) -> Callable[[int, int], tuple[int, int]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return _from_equal_blocks([(a, a + n, b) for a, b, n in matcher.get_matching_blocks()])


def _diff_match_patch(old: str, new: str) -> Callable[[int, int], tuple[int, int]]:
    import diff_match_patch  # type: ignore[import-not-found]

    engine = diff_match_patch.diff_match_patch()
    engine.Diff_Timeout = 0  # a time limit would make the result depend on the machine
    blocks, i, j = [], 0, 0
    for op, text in engine.diff_main(old, new, False):
        if op == 0:
            blocks.append((i, i + len(text), j))
        i += len(text) if op <= 0 else 0
        j += len(text) if op >= 0 else 0
    return _from_equal_blocks(blocks)


def _edit(text: str, count: int, rng: random.Random, words: list[str]) -> str:
    for _ in range(count):
        i = text.find(" ", rng.randrange(len(text)))
        j = text.find(" ", i + 1)
        if i < 0 or j < 0:
            continue
        choice = rng.choice(["insert", "delete", "replace"])
        if choice == "insert":
            text = text[:i] + " " + " ".join(rng.choice(words) for _ in range(2)) + text[i:]
        else:
            text = text[:i] + ("" if choice == "delete" else " " + rng.choice(words)) + text[j:]
    return text


def scenarios() -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    body = data["articles"][0]["body"]
    passages = [e for r in data["entities"] + data["statements"] for e in r.get("evidence", [])]
    words = body.split()
    rng = random.Random(3)
    big = " ".join(rng.choice(words) for _ in range(20_000))
    big_passages = []
    for _ in range(200):
        s = big.find(" ", rng.randrange(len(big) - 100)) + 1
        e = big.find(" ", s + 40)
        big_passages.append({"start": s, "end": e, "text": big[s:e]})
    return [
        ("seed, two words near the start", body, body[:40] + "two words " + body[40:], passages),
        ("seed, 5 word edits", body, _edit(body, 5, random.Random(5), words), passages),
        ("seed, 20 word edits", body, _edit(body, 20, random.Random(20), words), passages),
        ("130k body, 20 word edits", big, _edit(big, 20, random.Random(11), words), big_passages),
    ]


def main() -> None:
    mappers: dict[str, Mapper] = {
        "storyfacts (rapidfuzz, words)": _storyfacts,
        "diff-match-patch (chars)": _diff_match_patch,
        "difflib (chars)": _difflib,
    }
    for label, old, new, passages in scenarios():
        print(f"{label}: {len(old):,} -> {len(new):,} code points, {len(passages)} passages")
        for name, mapper in mappers.items():
            if name.startswith("difflib") and len(old) > 20_000:
                print(f"  {name:32s} skipped (811 s measured once)")
                continue
            try:
                started = time.perf_counter()
                mapped = mapper(old, new)
                elapsed = time.perf_counter() - started
            except ImportError:
                print(f"  {name:32s} not installed")
                continue
            exact = sum(
                1
                for p in passages
                if (span := mapped(p["start"], p["end"]))[0] >= 0
                and new[span[0] : span[1]] == p["text"]
            )
            print(f"  {name:32s} {elapsed * 1000:9.1f} ms  exact {exact}/{len(passages)}")


if __name__ == "__main__":
    main()
