"""``storyfacts new``: draft a starter dataset or workbook from an article's text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .failures import OK
from .group import command

_FILE = click.Path(path_type=Path)


@command("new")
@click.argument("article", type=_FILE, metavar="ARTICLE.txt", help="the article's text")
@click.option("--published", required=True, metavar="DATE", help="publication date, YYYY-MM-DD")
@click.option("--url", metavar="URL", help="where the article was published")
@click.option("--publisher", metavar="NAME", help="who published it")
@click.option("--headline", metavar="TEXT", help="the headline (default: first sentence)")
@click.option(
    "--language", default="en", show_default=False, metavar="TAG", help="BCP 47 tag (default: en)"
)
@click.option(
    "--known",
    multiple=True,
    type=_FILE,
    metavar="DATASET",
    help="a dataset whose entities (names and aliases) the draft should reuse; repeatable",
)
@click.option(
    "-o",
    "--output",
    type=_FILE,
    required=True,
    metavar="PATH",
    help="story.json for a dataset, story.xlsx for an editor's workbook",
)
def new(
    article: Path,
    published: str,
    url: str | None,
    publisher: str | None,
    headline: str | None,
    language: str,
    known: tuple[Path, ...],
    output: Path,
) -> int:
    from .. import input_files
    from ..drafting import PLACEHOLDER_HOST, DraftingError, draft
    from ..errors import InputError, printable
    from ..exporting import export

    suffix = output.suffix.lower()
    if suffix not in (".json", ".xlsx"):
        raise click.UsageError(f"-o {output}: write a .json dataset or an .xlsx workbook")
    raw = input_files.read(article, "an article's text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            article, f"is not valid UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
    try:
        dataset = draft(
            text,
            published=published,
            url=url,
            publisher=publisher,
            headline=headline,
            known=list(known),
            language=language,
        )
    except DraftingError as error:
        where = article if error.field == "text" else f"--{error.field}"
        raise click.UsageError(f"{where}: {error.message}") from None
    export(dataset, "xlsx" if suffix == ".xlsx" else "json", output)
    from ..drafting.dates import RULES as DATE_RULES

    drafted = [r for r in [*dataset.entities, *dataset.statements] if r.draft is not None]
    dates = sum(1 for r in drafted if r.draft is not None and r.draft.rule in DATE_RULES)
    quotes = sum(1 for r in drafted if r.type == "quote")
    print(printable(str(output)))
    print(
        f"  {len(drafted)} drafted records to confirm: {quotes} quotes, {dates} dates "
        f"(as events), {len(drafted) - quotes - dates} entities",
        file=sys.stderr,
    )
    if url is None:
        print(
            f"  note: no --url given; the article's URL is a placeholder under "
            f"{PLACEHOLDER_HOST}: correct it.",
            file=sys.stderr,
        )
    return OK
