"""What starting storyfacts imports: nothing heavy until a command needs it.

Start-up time itself is a benchmark (benchmarks/startup.py), never a test;
these tests guard the import graph that the time depends on. Each runs in a
fresh interpreter, since this one has imported everything already.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import storyfacts
from storyfacts.cli.group import COMMANDS

#: Libraries no start-up may import: the validators and their grammars, the
#: writers' libraries, and the converter.
HEAVY = (
    "jsonschema",
    "jsonschema._format",
    "rfc3987_syntax",
    "lark",
    "jsonschema_rs",
    "referencing",
    "openpyxl",
    "icalendar",
    "cattrs",
    "storyfacts.validation",
    "storyfacts.loading",
    "storyfacts.convert",
    "storyfacts.workbook",
    # The optional extra of the distributed export (tests/test_distributed_imports.py).
    "dask",
    "distributed",
)


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = (
        "import contextlib, io, json, sys\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_import_storyfacts_imports_no_library() -> None:
    """`import storyfacts` loads none of its dependencies, not even attrs."""
    loaded = modules_after("import storyfacts")
    assert "storyfacts" in loaded
    assert not loaded & {*HEAVY, "attrs", "pluggy", "orjson", "storyfacts.model"}


#: The modules that define the commands, imported only when their command runs.
COMMAND_MODULES = {where.partition(":")[0] for where in COMMANDS.values()}


@pytest.mark.parametrize("argument", ["--version", "--help", "-V", "-h"])
def test_version_and_help_import_no_library(argument: str) -> None:
    """The top level's help and version import click, but no command and no library."""
    loaded = modules_after(f"from storyfacts.cli import main\nmain([{argument!r}])")
    assert {"storyfacts.cli", "click"} <= loaded
    assert not loaded & {*HEAVY, *COMMAND_MODULES, "attrs", "pluggy", "orjson"}
    assert "importlib.metadata" not in loaded  # the version is storyfacts.__version__


def test_a_command_imports_its_own_module_only() -> None:
    """`storyfacts schema` loads the schema command, not export's, validate's or the others'."""
    loaded = modules_after("from storyfacts.cli import main\nmain(['schema'])")
    assert loaded & COMMAND_MODULES == {"storyfacts.cli.schema"}


def test_a_commands_help_imports_only_that_command() -> None:
    """`storyfacts export --help` loads export's module, and nothing it would need to run."""
    loaded = modules_after("from storyfacts.cli import main\nmain(['export', '--help'])")
    assert loaded & COMMAND_MODULES == {"storyfacts.cli.export"}
    assert not loaded & {*HEAVY, "attrs", "pluggy", "orjson", "storyfacts.plugins"}


def test_formats_imports_neither_validators_nor_writers() -> None:
    """Listing formats loads the plugins, but not what exporting or validating needs."""
    loaded = modules_after("from storyfacts.cli import main\nmain(['formats'])")
    assert {"storyfacts.plugins", "storyfacts.exporters.csv", "storyfacts.exporters.ics"} <= loaded
    assert loaded & COMMAND_MODULES == {"storyfacts.cli.formats"}
    # Entry points are read by storyfacts.entry_points (about 14 ms less).
    assert "importlib.metadata" not in loaded
    assert not loaded & {*HEAVY, "storyfacts.model", "storyfacts.tables", "orjson"}


def test_validating_valid_data_never_imports_jsonschema() -> None:
    """The fast path answers "valid"; the detailed validator is not even imported."""
    loaded = modules_after("from storyfacts.cli import main\nassert main(['validate']) == 0")
    assert "jsonschema_rs" in loaded
    # Nor the converter between plain data and the model: validating needs neither.
    assert not loaded & {"jsonschema", "rfc3987_syntax", "lark", "cattrs", "storyfacts.convert"}


def test_describing_invalid_data_compiles_no_iri_grammar() -> None:
    """jsonschema describes bad data without rfc3987_syntax, which no check here uses."""
    loaded = modules_after(
        "import storyfacts\n"
        "data = storyfacts.dump(storyfacts.load_bundled())\n"
        "data['articles'][0]['url'] = 'not a url'\n"
        "data['modified'] = 'yesterday'\n"
        "codes = {p.code for p in storyfacts.validate(data)}\n"
        "assert codes == {'bad-format', 'bad-form'}, codes\n"
    )
    assert "jsonschema._format" in loaded
    assert "rfc3987_syntax" not in loaded


def test_iri_checks_are_still_made_when_asked_for() -> None:
    """jsonschema's own iri checks still work, by anyone, once storyfacts imported it."""
    loaded = modules_after(
        "from storyfacts import schema\n"
        "schema.validator()\n"
        "import jsonschema\n"
        "checker = jsonschema.Draft202012Validator.FORMAT_CHECKER\n"
        "assert 'rfc3987_syntax' not in sys.modules\n"
        "assert checker.conforms('https://例え.jp/パス', 'iri')\n"
        "assert not checker.conforms('https://exa mple.org/', 'iri')\n"
        "assert checker.conforms('../relative#frag', 'iri-reference')\n"
        "assert not checker.conforms('\\\\bad', 'iri-reference')\n"
        "assert not schema.format_checker().conforms('http://a b', 'iri')\n"
        "assert not jsonschema.Draft7Validator.FORMAT_CHECKER.conforms('http://a b', 'iri')\n"
    )
    assert "rfc3987_syntax" in loaded


def test_every_public_name_is_declared_once_for_readers_and_once_for_import() -> None:
    """The lazy table in storyfacts/__init__.py names what its type-checking imports name."""
    source = Path(storyfacts.__file__).read_text(encoding="utf-8")
    checked = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported = {
        alias.asname or alias.name: (f".{node.module}", alias.name)
        for node in checked.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == storyfacts._PUBLIC
    assert set(storyfacts.__all__) == {*imported, "__version__", "formats"}
    for name in storyfacts.__all__:
        assert getattr(storyfacts, name) is not None
    assert storyfacts.json_schema is storyfacts.schema.schema
    assert set(storyfacts.__all__) <= set(dir(storyfacts))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = storyfacts.nothing_here
