"""How well storyfacts new drafts: precision and recall per kind on a hand-made gold set.

    python benchmarks/drafting.py            # a table per article and in total
    python benchmarks/drafting.py --json     # the same numbers for tools

The gold set is ``benchmarks/gold/``: each article's text (``NAME.txt``, or a
``text`` path for the bundled story) and its hand-made answers (``NAME.json``):
the direct quotes with the names their speaker may go by, the date phrases
with their resolved value and precision, and the entities the text names.

How a draft is scored:

- quotes: a drafted quote matches a gold quote with the same words (spaces
  and case aside). Attribution is the share of matched quotes whose speaker
  (its name or any alias) is one of the gold speaker's names.
- dates: a drafted date event matches a gold date when its phrase contains
  the gold phrase or is contained in it, each used once; "resolved" is the
  share of matched dates with the gold value and precision.
- entities: a drafted entity (not a date event) matches a gold entity when
  any of their names agree (case and a leading "the" aside); "typed" is the
  share of matched entities with the gold type.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import storyfacts
from storyfacts.drafting import RULES
from storyfacts.drafting.dates import RULES as DATE_RULES

GOLD = Path(__file__).with_name("gold")
MODIFIED = "2026-01-01T00:00:00Z"


def _normal(text: str) -> str:
    text = re.sub(r"(?:'s|’s)$", "", text.strip())
    return " ".join(re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I).casefold().split())


def _names(record: Any) -> set[str]:
    return {_normal(n) for n in [record.name, *(record.aliases or [])]}


def _ratio(hit: int, total: int) -> float | None:
    return None if total == 0 else hit / total


def score(gold: dict[str, Any], dataset: storyfacts.Dataset) -> dict[str, dict[str, int]]:
    """Counts per kind: drafted, gold, matched, and the matched that are also right."""
    entities = {e.id: e for e in dataset.entities}
    quotes = [s for s in dataset.statements if isinstance(s, storyfacts.Quote)]
    date_events = [
        e
        for e in dataset.entities
        if isinstance(e, storyfacts.Event) and e.draft is not None and e.draft.rule in DATE_RULES
    ]
    # The publisher placeholder stands for an option not given, not for a name in the text.
    others = [
        e
        for e in dataset.entities
        if e not in date_events
        and e.draft is not None
        and not e.draft.rule.startswith("publisher-")
    ]

    counts: dict[str, dict[str, int]] = {}
    # Quotes.
    free = list(quotes)
    matched = right = 0
    for item in gold["quotes"]:
        words = _normal(item["text"])
        found = next((q for q in free if _normal(q.text) == words), None)
        if found is None:
            continue
        free.remove(found)
        matched += 1
        accepted = {_normal(n) for n in item["speaker"]}
        right += bool(_names(entities[found.speaker]) & accepted)
    counts["quotes"] = {
        "drafted": len(quotes),
        "gold": len(gold["quotes"]),
        "matched": matched,
        "right": right,
    }
    # Dates.
    free_dates = list(date_events)
    matched = right = 0
    for item in gold["dates"]:
        phrase = _normal(item["phrase"])
        found = None
        for event in free_dates:
            assert event.start is not None and event.start.phrase is not None
            drafted = _normal(event.start.phrase)
            if phrase in drafted or drafted in phrase:
                found = event
                break
        if found is None or found.start is None:
            continue
        free_dates.remove(found)
        matched += 1
        right += (found.start.value, found.start.precision) == (item["value"], item["precision"])
    counts["dates"] = {
        "drafted": len(date_events),
        "gold": len(gold["dates"]),
        "matched": matched,
        "right": right,
    }
    # Entities.
    free_entities = list(others)
    matched = right = 0
    for item in gold["entities"]:
        accepted = {_normal(n) for n in [item["name"], *item.get("aliases", [])]}
        found_entity = next((e for e in free_entities if _names(e) & accepted), None)
        if found_entity is None:
            continue
        free_entities.remove(found_entity)
        matched += 1
        right += found_entity.type == item["type"]
    counts["entities"] = {
        "drafted": len(others),
        "gold": len(gold["entities"]),
        "matched": matched,
        "right": right,
    }
    return counts


def gold_articles() -> Iterable[tuple[str, dict[str, Any], str]]:
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text_path = (path.parent / gold["text"]) if "text" in gold else path.with_suffix(".txt")
        yield path.stem, gold, text_path.read_text(encoding="utf-8")


def run() -> dict[str, dict[str, dict[str, int]]]:
    results: dict[str, dict[str, dict[str, int]]] = {}
    for name, gold, text in gold_articles():
        dataset = storyfacts.draft(text, published=gold["published"], modified=MODIFIED)
        problems = storyfacts.validate(dataset)
        if problems:
            raise SystemExit(f"{name}: the draft does not validate: {problems[0]}")
        results[name] = score(gold, dataset)
    total: dict[str, dict[str, int]] = {}
    for counts in results.values():
        for kind, numbers in counts.items():
            into = total.setdefault(kind, dict.fromkeys(numbers, 0))
            for key, value in numbers.items():
                into[key] += value
    results["TOTAL"] = total
    return results


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def table(results: dict[str, dict[str, dict[str, int]]]) -> str:
    right_word = {"quotes": "attributed", "dates": "resolved", "entities": "typed"}
    lines = [
        "| article | kind | drafted | gold | precision | recall | right of matched |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, counts in results.items():
        for kind, n in counts.items():
            lines.append(
                f"| {name} | {kind} | {n['drafted']} | {n['gold']} | "
                f"{_cell(_ratio(n['matched'], n['drafted']))} | "
                f"{_cell(_ratio(n['matched'], n['gold']))} | "
                f"{n['right']}/{n['matched']} {right_word[kind]} |"
            )
    return "\n".join(lines)


def scale(copies: int) -> str:
    """Time drafting the bundled story repeated ``copies`` times: the work must stay linear."""
    import time

    _, gold, text = next(g for g in gold_articles() if g[0] == "putin-xi-olympics-2023")
    lines = []
    for n in (copies // 8 or 1, copies):
        body = (text + "\n\n") * n
        started = time.perf_counter()
        storyfacts.draft(body, published=gold["published"], modified=MODIFIED)
        lines.append(f"{len(body):,} characters: {time.perf_counter() - started:.1f} s")
    return "; ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument(
        "--scale",
        type=int,
        metavar="COPIES",
        help="instead, time drafting the bundled story repeated COPIES times (270: ~1 MB)",
    )
    args = parser.parse_args()
    if args.scale:
        print(scale(args.scale))
        return
    results = run()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(table(results))
    print(f"\n{len(RULES)} rules; gold set: {len(results) - 1} articles in {GOLD}")


if __name__ == "__main__":
    main()
