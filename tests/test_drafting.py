"""storyfacts new and storyfacts.draft: quotes, speakers, dates and entities from an article."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

import storyfacts
from conftest import RunCli
from storyfacts.drafting import DraftingError, draft
from storyfacts.drafting.dates import date_mentions
from storyfacts.drafting.quotes import quotations

PUBLISHED = dt.date(2023, 3, 22)  # a Wednesday, ISO week 12
MODIFIED = "2026-11-30T00:00:00Z"


def _draft(text: str, **options: object) -> storyfacts.Dataset:
    return draft(text, published="2023-03-22", modified=MODIFIED, **options)  # type: ignore[arg-type]


def _quotes(dataset: storyfacts.Dataset) -> list[tuple[str, str, str]]:
    """(quoted words, speaker's name, rule) of every drafted quote."""
    names = {e.id: e.name for e in dataset.entities}
    return [
        (s.text, names[s.speaker], s.draft.rule if s.draft else "")
        for s in dataset.statements
        if isinstance(s, storyfacts.Quote)
    ]


# Quotation marks ----------------------------------------------------------------


def test_straight_and_curly_quotes_pair_and_leave_out_the_marks() -> None:
    """Both kinds of mark pair up; the quote text drops the marks and the trailing comma."""
    body = 'Smith said: "We will win this match." Then “we go home early,” Jones said.'
    found = [q.words.text(body) for q in quotations(body)]
    assert found == ["We will win this match.", "we go home early"]


def test_quote_running_over_paragraphs_is_one_speaker() -> None:
    """A paragraph that opens without closing is continued by the next paragraph's quote."""
    body = (
        '"The first part of what I said runs on," Maria Lopez, the mayor, said. '
        '"And it keeps running on\n\n"until the second paragraph closes it," she added.\n\n'
        '"A paragraph of its own, after that one, is hers too."'
    )
    dataset = _draft(body)
    assert [(text[:12], speaker) for text, speaker, _ in _quotes(dataset)] == [
        ("The first pa", "Maria Lopez"),
        ("And it keeps", "Maria Lopez"),
        ("until the se", "Maria Lopez"),
        ("A paragraph ", "Maria Lopez"),
    ]
    assert storyfacts.validate(dataset) == []


def test_scare_quotes_are_not_quotations() -> None:
    """Two quoted words inside a sentence are a title or a scare quote, not a quotation."""
    [found] = quotations('They condemned "unseemly purposes" in sport.')
    assert found.short
    assert _quotes(_draft('They condemned "unseemly purposes" in sport.')) == []
    assert _quotes(_draft('The film "Red Dawn" was shown, Anna Berg said.')) == []


def test_a_fragment_is_the_words_of_the_subject_that_takes_a_stance_on_it() -> None:
    """'The Presidents condemned ... "unseemly purposes"': the fragment is theirs."""
    dataset = _draft(
        "The Russian and Chinese Presidents also condemned Western nations using sport for"
        ' "unseemly purposes" after the visit ended.'
    )
    [(text, speaker, rule)] = _quotes(dataset)
    assert (text, speaker) == ("unseemly purposes", "Russian and Chinese Presidents")
    assert rule == "speaker-stance-fragment"


# Attribution ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "speaker", "rule"),
    [
        ('"We expect a close vote next month," Anna Berg said.', "Anna Berg", "quote-speaker-verb"),
        (
            '"We expect a close vote next month," said Anna Berg, the chair of the committee.',
            "Anna Berg",
            "quote-verb-speaker",
        ),
        ('Anna Berg told reporters: "We expect a close vote."', "Anna Berg", "speaker-verb-quote"),
        (
            'According to the Finance Ministry, "the deficit will shrink this year."',
            "Finance Ministry",
            "according-to",
        ),
        (
            '"The deficit will shrink this year," according to the Finance Ministry.',
            "Finance Ministry",
            "according-to",
        ),
    ],
)
def test_attribution_patterns(body: str, speaker: str, rule: str) -> None:
    """Each pattern of news copy finds the speaker and names its rule."""
    [(_, found, found_rule)] = _quotes(_draft(body))
    assert (found, found_rule) == (speaker, rule)


def test_pronoun_and_following_paragraph_continue_the_last_speaker() -> None:
    """'he said' is the last person; a quote alone in the next paragraph is theirs too."""
    body = (
        'Coach Peter Hall praised his team. "They played with real heart today," he said.\n\n'
        '"I could not ask for more from any of them."'
    )
    assert [(s, r) for _, s, r in _quotes(_draft(body))] == [
        ("Peter Hall", "quote-speaker-verb"),
        ("Peter Hall", "paragraph-continues-speaker"),
    ]


def test_he_is_the_person_named_last_outside_quotes() -> None:
    """'he said' after a paragraph naming a new person is that person, not the last speaker."""
    body = (
        '"We will fight on," said Maria Lopez.\n\n'
        "The chair, Environment Minister Balarabe Lawal, agreed. "
        '"We are speaking with one voice," he said.'
    )
    assert _quotes(_draft(body))[1][1] == "Balarabe Lawal"


def test_it_refers_to_the_organisation_named_before() -> None:
    """'It said' is the organisation named last, not the last person who spoke."""
    body = (
        '"We are ready," Anna Berg said.\n\nThe World Health Organization met on Friday. '
        'It said that "the outbreak is under control in every region."'
    )
    assert _quotes(_draft(body))[1][1] == "World Health Organization"


def test_reported_by_a_news_agency() -> None:
    """'reported by TASS' and 'told Reuters' set reported_by; 'told Anna Berg' does not."""
    body = (
        "Reuters and TASS covered the talks.\n\n"
        '"We will not give up the port," the ministry statement reported by TASS said.\n\n'
        '"Nor will we give up the bridge."\n\n'
        '"The talks went well for both sides," Peter Hall told Reuters.\n\n'
        '"The talks went badly for everyone," Jan Novak told Anna Berg.'
    )
    dataset = _draft(body)
    by_id = {e.id: e.name for e in dataset.entities}
    reported = [
        (s.text[:12], by_id.get(s.reported_by or ""))
        for s in dataset.statements
        if isinstance(s, storyfacts.Quote)
    ]
    assert reported == [
        ("We will not ", "TASS"),
        ("Nor will we ", "TASS"),
        ("The talks we", "Reuters"),
        ("The talks we", None),
    ]


def test_role_in_apposition_becomes_the_persons_role() -> None:
    """'said X, the title of Y' records the title among the person's roles."""
    dataset = _draft('"We will appeal," said Anna Berg, the chair of the committee.')
    person = next(e for e in dataset.entities if e.name == "Anna Berg")
    assert isinstance(person, storyfacts.Person)
    assert person.roles == ["the chair of the committee"]


# Dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("today", "2023-03-22", "day"),
        ("yesterday", "2023-03-21", "day"),
        ("this week", "2023-W12", "week"),
        ("next week", "2023-W13", "week"),
        ("last week", "2023-W11", "week"),
        ("last year", "2022", "year"),
        ("next month", "2023-04", "month"),
        ("from April", "2023-04", "month"),
        ("in February last year", "2022-02", "month"),
        ("in November", "2022-11", "month"),
        ("next spring", "2024", "year"),
        ("in 2024", "2024", "year"),
        ("on Monday", "2023-03-20", "day"),
        ("next Friday", "2023-03-24", "day"),
        ("10 March", "2023-03-10", "day"),
        ("March 10, 2021", "2021-03-10", "day"),
        ("in May 2019", "2019-05", "month"),
    ],
)
def test_date_phrases_resolve_with_an_honest_precision(
    phrase: str, value: str, precision: str
) -> None:
    """Each phrase resolves against Wednesday 22 March 2023 to the unit it really names."""
    body = f"The talks happened {phrase} as planned."
    [mention] = date_mentions(body, PUBLISHED)
    assert (mention.span.text(body), mention.value, mention.precision) == (
        phrase,
        value,
        precision,
    )


@pytest.mark.parametrize(
    ("sentence", "value", "precision"),
    [
        ("She finished fourth in November.", "2022-11", "month"),
        ("The summit will open in November.", "2023-11", "month"),
        ("Readmission runs from February.", "2024-02", "month"),
        ("Both sides want a deal before the summer.", "2023", "year"),
        ("The forecast for the weekend is cold.", "2023-W12", "week"),
        ("They met last weekend.", "2023-W11", "week"),
        ("Sales in the fourth quarter fell.", "2022", "year"),
        ("It expects growth in the second quarter.", "2023", "year"),
        ("Profit in Q3 2021 rose.", "2021", "year"),
        ("It cut jobs and said in December it would cut more.", "2022-12", "month"),
        ("Talks are expected to conclude in October.", "2023-10", "month"),
    ],
)
def test_tense_and_preposition_pick_the_year(sentence: str, value: str, precision: str) -> None:
    """A month or season alone takes its year from the clause's tense or its preposition."""
    [mention] = date_mentions(sentence, PUBLISHED)
    assert (mention.value, mention.precision) == (value, precision)


def test_weekday_follows_the_tense() -> None:
    """A bare weekday is the coming one in a sentence about the future, else the last one."""
    assert date_mentions("She will arrive on Friday.", PUBLISHED)[0].value == "2023-03-24"
    assert date_mentions("She arrived on Friday.", PUBLISHED)[0].value == "2023-03-17"


def test_may_the_verb_is_not_a_month() -> None:
    """'May' starting a question is the verb; 'in May' is the month."""
    assert date_mentions("May we go now?", PUBLISHED) == []
    assert date_mentions("It opens in May.", PUBLISHED)[0].value == "2023-05"


def test_dates_become_draft_events_citing_the_publication_date() -> None:
    """A relative date cites the publication date as its source and is marked inferred."""
    dataset = _draft("The board meets next week to decide.")
    [event] = [e for e in dataset.entities if isinstance(e, storyfacts.Event)]
    assert event.start is not None
    assert (event.start.value, event.start.precision, event.start.phrase) == (
        "2023-W13",
        "week",
        "next week",
    )
    assert event.start.inferred is True
    source = dataset.index()[event.start.source or ""]
    assert isinstance(source, storyfacts.Source)
    assert source.published is not None and source.published.value == "2023-03-22"
    assert event.draft == storyfacts.Draft(rule="relative-week", confidence=0.85)


# Entities ----------------------------------------------------------------------------


def test_entities_from_titles_organisation_words_and_countries() -> None:
    """Types are guessed from titles, organisation words and the country list."""
    dataset = _draft(
        "Prime Minister Kaja Kallas met the Baltic Sea Council in Germany and in Tallinn."
    )
    found = {e.name: (e.type, e.draft.rule if e.draft else None) for e in dataset.entities}
    assert found["Kaja Kallas"] == ("person", "title-person")
    assert found["Baltic Sea Council"] == ("organization", "organisation-word")
    assert found["Germany"] == ("country", "country-list")
    assert found["Tallinn"] == ("place", "place-preposition")
    germany = next(e for e in dataset.entities if e.name == "Germany")
    assert isinstance(germany, storyfacts.Country) and germany.iso_code == "DE"


def test_known_entities_are_found_by_alias_and_keep_their_ids() -> None:
    """A --known dataset lends its ids; an alias in the text finds the entity."""
    dataset = _draft(
        '"We will decide soon," the IOC said, while TASS reported from Moscow.',
        known=[storyfacts.bundled_path()],
    )
    by_id = {e.id: e for e in dataset.entities}
    assert by_id["ioc"].name == "International Olympic Committee"
    assert by_id["ioc"].draft == storyfacts.Draft(rule="known-name", confidence=0.95)
    assert {"tass", "moscow"} <= set(by_id)
    assert _quotes(dataset)[0][1] == "International Olympic Committee"
    assert storyfacts.validate(dataset) == []


def test_dateline_possessive_and_lone_names() -> None:
    """A dateline is a place; "Ethiopia's Tamirat Tola" two names; a lone word a weak guess."""
    dataset = _draft(
        "LEEDS, England (Wire) - Ethiopia's Tamirat Tola beat runners sponsored by Nokia. "
        "Later Tamirat thanked the crowd in Mexico City."
    )
    found = {e.name: (e.type, e.draft.rule if e.draft else None) for e in dataset.entities}
    assert found["Leeds"] == ("place", "dateline")
    assert found["Ethiopia"] == ("country", "country-list")
    assert found["Tamirat Tola"][0] == "person"
    assert found["Nokia"] == ("organization", "single-word")
    assert found["Mexico City"] == ("place", "place-preposition")
    assert "Mexico" not in found
    tola = next(e for e in dataset.entities if e.name == "Tamirat Tola")
    assert tola.aliases == ["Tamirat"]


def test_title_before_an_organisation_word_is_no_person() -> None:
    """ "IOC Executive Board" is a board, and "Chief Executive Borje Ekholm" a person."""
    dataset = _draft(
        'The IOC Executive Board met. "Sales held up," Chief Executive Borje Ekholm said.'
    )
    found = {e.name: e for e in dataset.entities}
    assert found["IOC Executive Board"].type == "organization"
    ekholm = found["Borje Ekholm"]
    assert isinstance(ekholm, storyfacts.Person) and ekholm.roles == ["Chief Executive"]
    assert _quotes(dataset)[0][1] == "Borje Ekholm"


def test_surname_and_bracketed_acronym_are_aliases() -> None:
    """'Putin' after 'Vladimir Putin', and '(IOC)' after the full name, are the same entity."""
    dataset = _draft(
        "Vladimir Putin spoke to the International Olympic Committee (IOC). Later Putin left."
    )
    names = {e.name: e.aliases for e in dataset.entities}
    assert names["Vladimir Putin"] == ["Putin"]
    assert names["International Olympic Committee"] == ["IOC"]


# The bundled story -------------------------------------------------------------------


def test_bundled_story_drafts_every_quote_and_validates() -> None:
    """On the seed story: every direct quote found, the draft valid, every record a draft."""
    text = (Path(__file__).parents[1] / "seeds" / "putin-xi-olympics-2023.txt").read_text(
        encoding="utf-8"
    )
    dataset = _draft(text)
    assert storyfacts.validate(dataset) == []
    seed = storyfacts.load_bundled()
    # Every quote of the hand-made record, the fragment "unseemly purposes" included.
    assert sorted(q[0] for q in _quotes(dataset)) == sorted(
        s.text for s in seed.statements if isinstance(s, storyfacts.Quote)
    )
    assert all(r.draft is not None for r in dataset.statements)
    assert dataset.articles[0].body == text


# Bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "options", "field"),
    [
        ("", {}, "text"),
        ("   \n ", {}, "text"),
        ("Some text.", {"published": "22/03/2023"}, "published"),
        ("Some text.", {"url": "not a url"}, "url"),
        ("Some text.", {"headline": "two\nlines"}, "headline"),
    ],
)
def test_bad_arguments_name_what_is_wrong(text: str, options: dict[str, str], field: str) -> None:
    """Empty text, a date that is not one, a bad URL: an error naming the argument."""
    arguments: dict[str, object] = {"published": "2023-03-22", **options}
    with pytest.raises(DraftingError) as caught:
        draft(text, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


# The command line --------------------------------------------------------------------


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(
        'Anna Berg, the mayor of Tallinn, said on Monday: "We open the bridge next week."\n\n'
        '"It took four years," said Peter Hall, the engineer.\n',
        encoding="utf-8",
    )
    return path


def test_new_writes_a_valid_json_dataset(article: Path, tmp_path: Path, run_cli: RunCli) -> None:
    """storyfacts new -o story.json writes a dataset that validates, drafts marked."""
    out = tmp_path / "story.json"
    code, stdout, stderr = run_cli(
        "new", str(article), "--published", "2023-03-22", "--url", "https://news.example/a",
        "--publisher", "Example News", "-o", str(out),
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.strip() == str(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert storyfacts.validate(data) == []
    quotes = [s for s in data["statements"] if s["type"] == "quote"]
    assert [q["draft"]["rule"] for q in quotes] == ["speaker-verb-quote", "quote-verb-speaker"]
    publisher = next(e for e in data["entities"] if e["id"] == data["articles"][0]["publisher"])
    assert publisher["name"] == "Example News" and "draft" not in publisher


def test_new_writes_a_workbook_that_reads_back(
    article: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """storyfacts new -o story.xlsx gives a workbook that validates as it stands."""
    out = tmp_path / "story.xlsx"
    code, _, stderr = run_cli("new", str(article), "--published", "2023-03-22", "-o", str(out))
    assert code == 0, stderr
    assert "placeholder" in stderr
    assert storyfacts.validate(out) == []
    dataset = storyfacts.load(out)
    assert any(s.draft is not None for s in dataset.statements)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.txt", "--published", "2023-03-22"], "no such file"),
        (["ARTICLE", "--published", "yesterday"], "--published"),
        (["EMPTY", "--published", "2023-03-22"], "empty"),
        (["ARTICLE", "--published", "2023-03-22", "--known", "missing.json"], "no such file"),
    ],
)
def test_new_refuses_bad_input_with_exit_2(
    arguments: list[str], message: str, article: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """A missing file, a bad date or an empty article: one clear line, exit 2, no file."""
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    swap = {"ARTICLE": str(article), "EMPTY": str(empty), "missing.txt": str(tmp_path / "no.txt")}
    out = tmp_path / "story.json"
    code, _, stderr = run_cli("new", *[swap.get(a, a) for a in arguments], "-o", str(out))
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert not out.exists()


def test_new_refuses_a_directory_and_bytes_that_are_not_utf8(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """An article that is a directory or not UTF-8 text: exit 2, a sentence, no file."""
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 owners said it was over.".encode("latin-1"))
    out = tmp_path / "story.json"
    for article, words in ((tmp_path, "is a directory"), (latin, "not valid UTF-8")):
        code, _, stderr = run_cli("new", str(article), "--published", "2023-03-22", "-o", str(out))
        assert code == 2 and words in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_new_leaves_an_existing_file_alone_when_it_fails(
    article: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """A bad --published changes nothing at the output path."""
    out = tmp_path / "story.json"
    out.write_text("keep me", encoding="utf-8")
    code, _, _ = run_cli("new", str(article), "--published", "2023-02-30", "-o", str(out))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "keep me"


def test_new_refuses_an_output_it_cannot_write(
    article: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """Only .json and .xlsx are drafted to; anything else is a usage error."""
    code, _, stderr = run_cli(
        "new", str(article), "--published", "2023-03-22", "-o", str(tmp_path / "story.csv")
    )
    assert code == 2 and ".xlsx" in stderr


def test_import_storyfacts_does_not_load_the_country_list() -> None:
    """pycountry is imported only when a draft is made."""
    code = "import sys, storyfacts; print('pycountry' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_every_rule_is_documented() -> None:
    """docs/new-story.md lists every drafting rule with the confidence the code gives it."""
    from storyfacts.drafting import RULES

    doc = (Path(__file__).parents[1] / "docs" / "new-story.md").read_text(encoding="utf-8")
    for rule, (confidence, _) in RULES.items():
        assert f"| `{rule}` | {confidence} |" in doc, rule


def test_spans_answer_overlap_and_holding() -> None:
    """The sorted spans each rule claims: overlap and 'which span holds this offset'."""
    from storyfacts.drafting.passages import Span, Spans

    taken = Spans([Span(10, 20), Span(30, 40)])
    assert taken.overlaps(Span(15, 35)) and taken.overlaps(Span(5, 11))
    assert not taken.overlaps(Span(20, 30)) and not taken.overlaps(Span(0, 10))
    taken.add(Span(22, 25))
    assert taken.overlaps(Span(24, 26))
    assert taken.holding(22) == Span(22, 25) and taken.holding(25) is None


def test_known_names_prefer_the_longest() -> None:
    """'IOC Executive Board' is the board, not the IOC followed by two words."""
    dataset = _draft(
        "The IOC Executive Board met, and the IOC agreed.", known=[storyfacts.bundled_path()]
    )
    by_id = {e.id: e for e in dataset.entities}
    assert {"ioc", "ioc-executive-board"} <= set(by_id)
    assert [e.text for e in by_id["ioc"].evidence or []] == ["IOC"]
