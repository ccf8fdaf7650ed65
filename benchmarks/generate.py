"""Synthetic storyfacts datasets of any size, for benchmarks and tests.

``generate(n_statements, seed)`` returns plain JSON data that
``storyfacts.validate`` accepts: articles whose bodies hold every sentence
that evidence points to, evidence with exact code-point offsets, quotes that
appear word for word in their evidence, references of the right kind, and
partial dates in every precision. Text is written in the scripts the seed
story uses: Latin, Cyrillic and Chinese.

The proportions are fixed so that every size has the same shape:

* one article per :data:`STATEMENTS_PER_ARTICLE` statements (at least one);
* one entity per :data:`STATEMENTS_PER_ENTITY` statements (at least
  :data:`MIN_ENTITIES`), typed in the fixed cycle :data:`ENTITY_CYCLE`, so
  events are 4 of every 20 entities;
* one source per :data:`STATEMENTS_PER_SOURCE` statements (at least one);
* every statement has one piece of evidence, and half of those after the
  first sentence of an article have a second; every entity mentioned in an
  article has one.

The same seed always gives the same data; nothing reads the clock.

Command line: ``python benchmarks/generate.py 100000 -o big.json [--seed 7]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "ENTITY_CYCLE",
    "MIN_ENTITIES",
    "STATEMENTS_PER_ARTICLE",
    "STATEMENTS_PER_ENTITY",
    "STATEMENTS_PER_SOURCE",
    "counts",
    "generate",
]

STATEMENTS_PER_ARTICLE = 25
STATEMENTS_PER_ENTITY = 2
STATEMENTS_PER_SOURCE = 50
MIN_ENTITIES = 20

# Twenty slots, repeated: 6 people, 4 organisations, 2 countries, 3 places,
# 4 events and 1 group, interleaved so a small dataset has every type.
ENTITY_CYCLE = (
    "person", "organization", "country", "place", "event", "group",
    "person", "organization", "place", "event",
    "person", "organization", "country", "event",
    "person", "organization", "place", "event",
    "person", "person",
)  # fmt: skip

_ACTORS = frozenset({"person", "organization", "country", "group"})

MODIFIED = "2026-11-27T00:00:00Z"

Script = str  # "latin", "cyrillic" or "chinese"
_SCRIPTS: tuple[Script, ...] = ("latin", "cyrillic", "chinese")
_LANGUAGE = {"latin": "en", "cyrillic": "ru", "chinese": "zh"}

_SYLLABLES = {
    "latin": [
        "an", "bel", "cor", "da", "el", "fa", "gor", "hin", "is", "jo", "ka",
        "lum", "mar", "no", "or", "pel", "qua", "ri", "sa", "tor", "ul", "ven",
    ],
    "cyrillic": [
        "ан", "бор", "вел", "гра", "дим", "ев", "жу", "зор", "ил", "ка", "лю",
        "мир", "но", "оль", "пет", "ра", "све", "тол", "ур", "фе", "ха", "яр",
    ],
    "chinese": list("王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"),
}  # fmt: skip
_WORDS = {
    "latin": [
        "sport", "peace", "games", "athletes", "values", "unity", "federation", "neutral",
        "decision", "council", "future", "youth", "friendship", "dialogue", "respect",
    ],
    "cyrillic": [
        "спорт", "мир", "игры", "спортсмены", "ценности", "единство", "федерация",
        "нейтральный", "решение", "совет", "будущее", "молодёжь", "дружба", "диалог", "уважение",
    ],
    "chinese": [
        "体育", "和平", "运动会", "运动员", "价值观", "团结", "联合会", "中立",
        "决定", "理事会", "未来", "青年", "友谊", "对话", "尊重",
    ],
}  # fmt: skip
_NAME_SHAPES = {
    "latin": {
        "organization": "{} Federation",
        "country": "Republic of {}",
        "place": "{} City",
        "event": "{} Games",
        "group": "{} countries",
    },
    "cyrillic": {
        "organization": "Федерация {}",
        "country": "Республика {}",
        "place": "город {}",
        "event": "Игры {}",
        "group": "страны {}",
    },
    "chinese": {
        "organization": "{}联合会",
        "country": "{}国",
        "place": "{}市",
        "event": "{}运动会",
        "group": "{}国家",
    },
}
_PHRASE_POOL = 4096
_PHRASES = ("next week", "from April", "на следующей неделе", "с апреля", "下周", "从四月起")
_STANCES = (
    "supports", "opposes", "welcomes", "condemns", "fears",
    "expects", "offers", "accuses", "announces",
)  # fmt: skip
_RELATIONS = (
    "member_of", "role_in", "located_in", "part_of", "hosts", "organizes", "participates_in",
)  # fmt: skip
_ORG_KINDS = ("sports_body", "sports_federation", "government", "news_agency", "other")
_EVENT_KINDS = ("state_visit", "meeting", "sports_event", "forum", "policy", "other")
_EVENT_STATUS = ("proposed", "scheduled", "ongoing", "completed", "postponed", "cancelled")


def counts(
    n_statements: int, statements_per_article: int = STATEMENTS_PER_ARTICLE
) -> dict[str, int]:
    """How many articles, entities and sources a dataset of ``n_statements`` gets."""
    if n_statements < 0:
        raise ValueError(f"n_statements must be 0 or more, not {n_statements}")
    if statements_per_article < 1:
        raise ValueError(f"statements_per_article must be 1 or more, not {statements_per_article}")
    return {
        "articles": max(1, -(-n_statements // statements_per_article)),
        "entities": max(MIN_ENTITIES, n_statements // STATEMENTS_PER_ENTITY),
        "statements": n_statements,
        "sources": max(1, n_statements // STATEMENTS_PER_SOURCE),
    }


class _Writer:
    """Makes names, words and dates in one script from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # Drawing words one by one dominates the run time at a million
        # statements; a pool of ready phrases per script keeps variety cheap.
        self._phrases = {
            script: [self.words(script, rng.randint(3, 7)) for _ in range(_PHRASE_POOL)]
            for script in _SCRIPTS
        }

    def phrase(self, script: Script) -> str:
        return self._phrases[script][self.rng.randrange(_PHRASE_POOL)]

    def name(self, script: Script, kind: str) -> str:
        pick = self.rng.choice
        syllables = _SYLLABLES[script]
        if script == "chinese":
            # A surname of one character, then a given name of one or two.
            stem = pick(syllables) + pick(syllables)
            if kind == "person":
                return stem if self.rng.random() < 0.5 else stem + pick(syllables)
        else:
            stem = (pick(syllables) + pick(syllables) + pick(syllables)).capitalize()
            if kind == "person":
                return (pick(syllables) + pick(syllables)).capitalize() + " " + stem
        return _NAME_SHAPES[script][kind].format(stem)

    def words(self, script: Script, count: int) -> str:
        chosen = self.rng.choices(_WORDS[script], k=count)
        return "".join(chosen) if script == "chinese" else " ".join(chosen)

    def day(self) -> dt.date:
        return dt.date(2015, 1, 1) + dt.timedelta(days=self.rng.randrange(5844))

    def date(self, sources: list[str]) -> dict[str, Any]:
        """A partial date in a random precision, sometimes with a phrase, source or inference."""
        rng = self.rng
        day = self.day()
        roll = rng.random()
        if roll < 0.5:
            out: dict[str, Any] = {"value": day.isoformat(), "precision": "day"}
        elif roll < 0.8:
            out = {"value": day.isoformat()[:7], "precision": "month"}
        else:
            out = {"value": day.isoformat()[:4], "precision": "year"}
        if rng.random() < 0.3:
            out["phrase"] = rng.choice(_PHRASES)
        if rng.random() < 0.2:
            out["source"] = rng.choice(sources)
        if rng.random() < 0.1:
            out["inferred"] = True
        return out

    def span(self, start: dict[str, Any]) -> dict[str, Any]:
        """An end date in the precision of ``start``, never before it."""
        precision, value = start["precision"], start["value"]
        if precision == "day":
            end = dt.date.fromisoformat(value) + dt.timedelta(days=self.rng.randrange(15))
            return {"value": end.isoformat(), "precision": "day"}
        if precision == "month":
            year, month = int(value[:4]), int(value[5:7])
            month += self.rng.randrange(3)
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            return {"value": f"{year:04d}-{month:02d}", "precision": "month"}
        return {"value": f"{int(value) + self.rng.randrange(2):04d}", "precision": "year"}


def _sentence(script: Script, actor: str, quote: str, topic: str) -> tuple[str, int, int]:
    """A sentence quoting ``actor`` about ``topic``: (text, topic start, topic end).

    The offsets are counted while the sentence is built, never searched for,
    so a name that appears twice cannot mislead them.
    """
    if script == "latin":
        parts = (actor, ' said "', quote, '" about ', topic, ".")
        topic_at = 4
    elif script == "cyrillic":
        parts = (actor, " заявил: «", quote, "» — о теме ", topic, ".")
        topic_at = 4
    else:
        parts = (actor, "就", topic, "表示：“", quote, "”。")
        topic_at = 2
    topic_start = sum(len(p) for p in parts[:topic_at])
    return "".join(parts), topic_start, topic_start + len(topic)


def generate(
    n_statements: int, seed: int = 0, *, statements_per_article: int = STATEMENTS_PER_ARTICLE
) -> dict[str, Any]:
    """A valid dataset of ``n_statements`` statements, the same for the same seed.

    ``statements_per_article`` makes a corpus of many short stories (the
    distributed export's tests use 2); every other proportion stays.
    """
    # The cyclic collector would walk millions of fresh, acyclic dicts again
    # and again; pausing it halves the run time and changes nothing else.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(n_statements, seed, statements_per_article)
    finally:
        if collecting:
            gc.enable()


def _generate(n_statements: int, seed: int, per_article: int) -> dict[str, Any]:
    sizes = counts(n_statements, per_article)
    rng = random.Random(seed)
    writer = _Writer(rng)
    sources = [f"source-{i}" for i in range(sizes["sources"])]

    entities: list[dict[str, Any]] = []
    by_type: dict[str, list[str]] = {kind: [] for kind in dict.fromkeys(ENTITY_CYCLE)}
    for j in range(sizes["entities"]):
        kind = ENTITY_CYCLE[j % len(ENTITY_CYCLE)]
        script = rng.choice(_SCRIPTS)
        entity: dict[str, Any] = {
            "id": f"{kind}-{j}",
            "type": kind,
            "name": writer.name(script, kind),
        }
        entities.append(entity)
        by_type[kind].append(entity["id"])
    actors = [e["id"] for e in entities if e["type"] in _ACTORS]
    any_entity = [e["id"] for e in entities]
    for entity in entities:
        _entity_details(entity, by_type, actors, any_entity, sources, writer)

    articles: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    mentions: list[dict[str, Any] | None] = [None] * len(entities)
    for a in range(sizes["articles"]):
        article_id = f"article-{a}"
        script = rng.choice(_SCRIPTS)
        first = a * per_article
        last = min(first + per_article, n_statements)
        sentences: list[str] = []
        offset = 0
        previous: dict[str, Any] | None = None
        for i in range(first, last):
            actor = actors[rng.randrange(len(actors))]
            topic_index = i % len(entities)
            quote = writer.phrase(script)
            text, topic_at, topic_end = _sentence(
                script, entities[_index(actor)]["name"], quote, entities[topic_index]["name"]
            )
            evidence = {
                "article": article_id,
                "start": offset,
                "end": offset + len(text),
                "text": text,
            }
            if mentions[topic_index] is None:
                mentions[topic_index] = {
                    "article": article_id,
                    "start": offset + topic_at,
                    "end": offset + topic_end,
                    "text": text[topic_at:topic_end],
                }
            cited = [evidence] if previous is None or rng.random() < 0.5 else [evidence, previous]
            statements.append(
                _statement(i, quote, actor, any_entity[topic_index], cited, actors, sources, writer)
            )
            sentences.append(text)
            offset += len(text) + 1
            previous = evidence
        body = " ".join(sentences) or writer.words(script, 12)
        articles.append(
            {
                "id": article_id,
                "headline": writer.phrase(script),
                "url": f"https://news.example.org/{_LANGUAGE[script]}/{a}",
                "publisher": rng.choice(by_type["organization"]),
                "published": {"value": writer.day().isoformat(), "precision": "day"},
                "language": _LANGUAGE[script],
                "body": body,
            }
        )
    for entity, mention in zip(entities, mentions, strict=True):
        if mention is not None:
            entity["evidence"] = [mention]

    return {
        "schema_version": "1.0",
        "id": f"synthetic-{n_statements}-seed-{seed}",
        "title": f"Synthetic dataset: {n_statements:,} statements (seed {seed})",
        "modified": MODIFIED,
        "articles": articles,
        "entities": entities,
        "statements": statements,
        "sources": [_source(i, sources, writer) for i in range(len(sources))],
    }


def _index(entity_id: str) -> int:
    return int(entity_id.rpartition("-")[2])


def _entity_details(
    entity: dict[str, Any],
    by_type: dict[str, list[str]],
    actors: list[str],
    any_entity: list[str],
    sources: list[str],
    writer: _Writer,
) -> None:
    rng = writer.rng
    kind = entity["type"]
    if rng.random() < 0.3:
        entity["aliases"] = [f"{entity['name']} {_index(entity['id'])}"]
    if rng.random() < 0.5:
        entity["description"] = f"{kind}: {entity['name']}"
    if rng.random() < 0.3:
        entity["wikidata"] = f"Q{rng.randrange(1, 10_000_000)}"
    if rng.random() < 0.1:
        entity["sources"] = [rng.choice(sources)]
    if kind == "person":
        entity["roles"] = ["President"] if rng.random() < 0.5 else ["Президент", "主席"]
        entity["nationality"] = rng.choice(by_type["country"])
    elif kind == "organization":
        entity["kind"] = rng.choice(_ORG_KINDS)
        entity["country"] = rng.choice(by_type["country"])
        if rng.random() < 0.3:
            entity["parent"] = rng.choice(by_type["organization"])
    elif kind == "country":
        entity["iso_code"] = chr(65 + rng.randrange(26)) + chr(65 + rng.randrange(26))
    elif kind == "place":
        entity["country"] = rng.choice(by_type["country"])
    elif kind == "event":
        entity["kind"] = rng.choice(_EVENT_KINDS)
        start = writer.date(sources)
        entity["start"] = start
        if rng.random() < 0.7:
            entity["end"] = writer.span(start)
        entity["location"] = rng.choice(by_type["place" if rng.random() < 0.8 else "country"])
        entity["organizer"] = rng.choice(actors)
        entity["status"] = rng.choice(_EVENT_STATUS)
        if rng.random() < 0.3:
            entity["venue"] = writer.phrase("latin")
    elif kind == "group":
        entity["members"] = sorted(set(rng.choices(any_entity, k=3)))


def _statement(
    i: int,
    quote: str,
    actor: str,
    topic: str,
    evidence: list[dict[str, Any]],
    actors: list[str],
    sources: list[str],
    writer: _Writer,
) -> dict[str, Any]:
    rng = writer.rng
    roll = rng.random()
    if roll < 0.25:
        statement: dict[str, Any] = {
            "id": f"quote-{i}",
            "type": "quote",
            "summary": f"{actor} speaks about {topic}.",
            "evidence": evidence,
            "text": quote,
            "speaker": actor,
            "about": [topic],
        }
        if rng.random() < 0.5:
            statement["reported_by"] = rng.choice(actors)
            statement["medium"] = "joint statement"
    elif roll < 0.6:
        statement = {
            "id": f"claim-{i}",
            "type": "claim",
            "summary": f"{actor} takes a stance on {topic}.",
            "evidence": evidence,
            "subject": actor,
            "stance": rng.choice(_STANCES),
        }
        if rng.random() < 0.8:
            statement["object"] = topic
        if "object" not in statement or rng.random() < 0.3:
            statement["object_text"] = quote
        if rng.random() < 0.3:
            statement["attributed_to"] = rng.choice(actors)
    elif roll < 0.7:
        statement = {
            "id": f"decision-{i}",
            "type": "decision",
            "summary": f"{actor} decides on {topic}.",
            "evidence": evidence,
            "decided_by": actor,
            "decision": quote,
            "about": [topic],
        }
        if rng.random() < 0.5:
            statement["effective"] = writer.date(sources)
        if rng.random() < 0.3:
            statement["votes_for"] = rng.randrange(200)
            statement["votes_against"] = rng.randrange(200)
            statement["votes_abstaining"] = rng.randrange(20)
    else:
        statement = {
            "id": f"relation-{i}",
            "type": "relation",
            "summary": f"{actor} is related to {topic}.",
            "evidence": evidence,
            "subject": actor,
            "relation": rng.choice(_RELATIONS),
            "object": topic,
        }
        if statement["relation"] == "role_in":
            statement["role"] = "Президент" if rng.random() < 0.5 else "主席"
    if rng.random() < 0.4:
        statement["date"] = writer.date(sources)
    if rng.random() < 0.1:
        statement["sources"] = [rng.choice(sources)]
    return statement


def _source(i: int, sources: list[str], writer: _Writer) -> dict[str, Any]:
    rng = writer.rng
    source: dict[str, Any] = {
        "id": sources[i],
        "title": f"Source {i}: " + writer.phrase(rng.choice(_SCRIPTS)),
    }
    if rng.random() < 0.8:
        source["url"] = f"https://sources.example.org/{i}"
    if rng.random() < 0.5:
        source["publisher"] = "ТАСС" if rng.random() < 0.5 else "新华社"
    if rng.random() < 0.5:
        source["published"] = writer.date(sources)
    if rng.random() < 0.3:
        source["note"] = "Synthetic source."
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic storyfacts dataset.")
    parser.add_argument("n_statements", type=int, help="how many statements to generate")
    parser.add_argument(
        "-o", "--output", type=Path, help="the JSON file to write (default: standard output)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.n_statements < 0:
        parser.error("n_statements must be 0 or more")
    data = generate(args.n_statements, args.seed)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
