"""Tests of the markdown exporter, run against the installed plugin (``pip install -e .``)."""

from __future__ import annotations

import copy
from pathlib import Path

from storyfacts_markdown import render
from storyfacts_markdown.factsheet import say_date, say_span

import storyfacts
from storyfacts.cli import main
from storyfacts.testing import check_exporter, empty_dataset, make_dataset


def test_markdown_is_listed_as_an_installed_format() -> None:
    """Installing the package makes storyfacts list the markdown format, from this plugin."""
    listed = {e.name: e for e in storyfacts.formats()}
    assert "markdown" in listed
    assert (listed["markdown"].extension, listed["markdown"].media_type) == (".md", "text/markdown")
    assert listed["markdown"].plugin == "markdown"


def test_markdown_passes_the_conformance_kit(tmp_path: Path) -> None:
    """The exporter meets every promise storyfacts makes about exporters."""
    report = check_exporter("markdown", directory=tmp_path)
    assert report.ok


def test_command_line_export_writes_the_sheet(tmp_path: Path) -> None:
    """`storyfacts export -f markdown -o x.md` writes the sheet of the bundled story."""
    target = tmp_path / "x.md"
    assert main(["export", "-f", "markdown", "-o", str(target), "-q"]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Putin and Xi welcome IOC move on Russian neutral athletes")


def test_quotes_are_attributed_to_speaker_and_reporter() -> None:
    """Putin's words, which TASS reported, end with the attribution an editor expects."""
    sheet = render(storyfacts.load_bundled())
    assert (
        "> “Western countries are trying to use sports for unseemly purposes as a tool of "
        "pressure”\n>\n> — Vladimir Putin, reported by TASS\n"
    ) in sheet


def test_people_and_organisations_are_listed_with_roles() -> None:
    """People carry their roles, organisations their kind and parent body."""
    sheet = render(storyfacts.load_bundled())
    assert "- **Vladimir Putin** (Putin) — President of Russia\n" in sheet
    assert "**IOC Executive Board** (IOC EB) — governing board; part of International" in sheet


def test_timeline_is_in_date_order_with_honest_precision() -> None:
    """Events run from the 2022 invasion to Paris 2024; FIE's readmission says only "April 2023"."""
    sheet = render(storyfacts.load_bundled())
    timeline = sheet.split("## Timeline")[1].split("##")[0]
    order = [
        "Russian invasion of Ukraine",
        "Xi Jinping's state visit to Russia",
        "IOC Executive Board meeting",
        "FIE readmission",
        "Paris 2024 Olympic Games",
    ]
    positions = [timeline.index(name) for name in order]
    assert positions == sorted(positions)
    assert "- **April 2023** (“from April”, inferred) — FIE readmission" in timeline
    assert "**20–22 March 2023**" in timeline
    assert "1 April 2023" not in sheet


def test_dates_say_only_what_is_known() -> None:
    """A date in words has exactly the precision the dataset gives it."""
    assert say_date(storyfacts.PartialDate(value="2024", precision="year")) == "2024"
    assert say_date(storyfacts.PartialDate(value="2023-04", precision="month")) == "April 2023"
    assert say_date(storyfacts.PartialDate(value="2023-W11", precision="week")) == "week 11 of 2023"
    assert say_date(storyfacts.PartialDate(value="2023-03-02", precision="day")) == "2 March 2023"


def test_date_ranges_share_month_and_year() -> None:
    """A range names its month and year once when both ends share them."""

    def day(value: str) -> storyfacts.PartialDate:
        return storyfacts.PartialDate(value=value, precision="day")

    assert say_span(day("2023-03-20"), day("2023-03-22")) == "20–22 March 2023"
    assert say_span(day("2024-02-21"), day("2024-03-03")) == "21 February – 3 March 2024"
    assert say_span(day("2023-12-30"), day("2024-01-02")) == "30 December 2023 – 2 January 2024"
    month = storyfacts.PartialDate(value="2024-05", precision="month")
    assert say_span(month, day("2024-05-20")) == "May 2024 – 20 May 2024"


def test_markdown_characters_in_names_are_escaped() -> None:
    """A name with Markdown markup in it prints as text, not as bold or a link."""
    data = storyfacts.dump(make_dataset(4))
    data = copy.deepcopy(data)
    data["entities"][0]["name"] = "*Star* [link](x) <b>"
    sheet = render(storyfacts.load(data))
    assert r"\*Star\* \[link\](x) \<b\>" in sheet
    assert "*Star*" not in sheet


def test_empty_dataset_gives_a_title_and_no_empty_sections() -> None:
    """A dataset with no records gives its title and the closing line, nothing else."""
    empty = empty_dataset()
    sheet = render(empty)
    assert sheet.startswith("# An empty dataset\n\n_Fact sheet of storyfacts dataset `empty`")
    assert "##" not in sheet


def test_the_module_passes_while_installed(tmp_path: Path) -> None:
    """The module itself can be checked under its own name although it is installed too."""
    import storyfacts_markdown

    report = check_exporter(storyfacts_markdown, plugin_name="markdown", directory=tmp_path)
    assert [c.outcome for c in report.checks].count("passed") >= 9
    assert "markdown" in {e.name for e in storyfacts.formats()}  # restored after the check
