"""The plugin system: discovery, guarded loading, clashes, atomic exports, the conformance kit."""

from __future__ import annotations

import importlib
import itertools
import json
import shutil
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storyfacts
from storyfacts import ExportContext, Exporter, PluginError, hookimpl, plugins
from storyfacts.model import ENTITY_TYPES, STATEMENT_TYPES, Dataset
from storyfacts.testing import (
    ConformanceError,
    check_exporter,
    empty_dataset,
    make_dataset,
    registered,
)

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken_plugins"
MARKDOWN_SRC = ROOT / "plugins" / "storyfacts-markdown" / "src"
TUTORIAL = ROOT / "docs" / "plugins"


def write_names(dataset: Dataset, path: Path, context: ExportContext) -> None:
    """A small, correct exporter: one entity name a line."""
    path.write_text("".join(f"{e.name}\n" for e in dataset.entities), encoding="utf-8")
    context.advance(context.total)


def make_exporter(name: str = "names", **changes: Any) -> Exporter:
    fields: dict[str, Any] = {
        "name": name,
        "extension": ".txt",
        "media_type": "text/plain",
        "description": "Entity names, one a line.",
        "write": write_names,
    }
    return Exporter(**(fields | changes))


class Registers:
    """A plugin that registers whatever it is given, good or bad."""

    def __init__(self, *items: object) -> None:
        self.items = items

    @hookimpl
    def register_exporters(self, register: Callable[[object], None]) -> None:
        for item in self.items:
            register(item)


def failures_of(plugin: str) -> list[str]:
    return [f.reason for f in plugins.failures() if f.plugin == plugin]


@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    """Plugins are loaded afresh for the test, and again after it, whatever it changed."""
    plugins.reset()
    try:
        yield
    finally:
        plugins.reset()


@pytest.fixture
def site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> Callable[[Path], str]:
    """Install fixture plugin packages into a throwaway directory on ``sys.path``.

    Each gets real distribution metadata and entry points, read from its own
    ``pyproject.toml``, so storyfacts discovers it as it would an installed package.
    """
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))

    def install(package: Path) -> str:
        project = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        for module in package.glob("*.py"):
            shutil.copy(module, folder)
            monkeypatch.delitem(sys.modules, module.stem, raising=False)
        info = folder / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
            encoding="utf-8",
        )
        points = project["entry-points"]["storyfacts"]
        (info / "entry_points.txt").write_text(
            "[storyfacts]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()),
            encoding="utf-8",
        )
        plugins.reset()
        name: str = project["name"]
        return name

    return install


# Listing ------------------------------------------------------------------------


def test_builtin_exporters_are_listed_as_builtin_plugins(
    register_plugin: Callable[[object, str], None],
) -> None:
    """Every built-in format present is listed, from a built-in plugin listed before the rest."""
    register_plugin(Registers(make_exporter()), "aaa-first-by-name")
    builtins = plugins.builtin_formats()
    assert "json" in builtins
    listed = {e.name: e for e in storyfacts.formats()}
    assert all(listed[name].plugin in plugins.DEFAULT_PLUGINS for name in builtins)
    infos = plugins.plugins()
    flags = [p.builtin for p in infos]
    assert flags == sorted(flags, reverse=True) and flags[-1] is False
    assert {p.name for p in infos if p.builtin} == {listed[name].plugin for name in builtins}
    assert all(p.hooks == ("register_exporters",) for p in infos if p.builtin)


def test_hook_register_exporters(tmp_path: Path) -> None:
    """An exporter registered through the hook is listed, exports, and is gone once unregistered."""
    with registered(Registers(make_exporter()), "names-plugin"):
        listed = {e.name: e for e in storyfacts.formats()}
        assert listed["names"].plugin == "names-plugin"
        target = storyfacts.export(None, "names", tmp_path / "names.txt")
        assert "Vladimir Putin\nXi Jinping\n" in target.read_text(encoding="utf-8")
        assert "names-plugin" in {p.name for p in plugins.plugins()}
    assert "names" not in {e.name for e in storyfacts.formats()}
    assert "names-plugin" not in {p.name for p in plugins.plugins()}


def test_registered_unregisters_when_the_block_raises() -> None:
    """A test that fails inside ``registered`` leaves no plugin behind."""
    with pytest.raises(RuntimeError), registered(make_exporter(), "leaky"):
        raise RuntimeError("the test failed")
    assert "names" not in {e.name for e in storyfacts.formats()}


def test_register_plugin_fixture_registers_for_one_test(
    register_plugin: Callable[[object, str], None],
) -> None:
    """The conftest fixture makes a plugin's exporters available to the test."""
    register_plugin(Registers(make_exporter("fixture-names")), "fixture-plugin")
    assert "fixture-names" in {e.name for e in storyfacts.formats()}


# Bad plugins are reported by name; the others keep working ------------------------

BAD_DECLARATIONS = {
    "bad name": ({"name": "Bad Name"}, "name 'Bad Name' must be lower-case"),
    "bad extension": ({"extension": "txt"}, "extension 'txt' must start with a dot"),
    "bad media type": ({"media_type": "plain text"}, "media type 'plain text' must look like"),
    "two-line description": ({"description": "One.\nTwo."}, "description must be one non-empty"),
    "empty description": ({"description": " "}, "description must be one non-empty line"),
    "write not callable": ({"write": "write"}, "write must be callable"),
}


@pytest.mark.parametrize("changes, reason", BAD_DECLARATIONS.values(), ids=list(BAD_DECLARATIONS))
def test_bad_exporter_declaration_is_reported_by_plugin_name(
    register_plugin: Callable[[object, str], None], changes: dict[str, Any], reason: str
) -> None:
    """A bad declaration is refused and named; the same plugin's good exporter still works."""
    bad = make_exporter(**({"name": "bad-one"} | changes))
    register_plugin(Registers(bad, make_exporter("good-one")), "mixed-plugin")
    listed = {e.name for e in storyfacts.formats()}
    assert {"good-one", "json"} <= listed
    assert "bad-one" not in listed and "Bad Name" not in listed
    assert any(reason in r for r in failures_of("mixed-plugin")), failures_of("mixed-plugin")


def test_registering_something_that_is_not_an_exporter_is_reported(
    register_plugin: Callable[[object, str], None],
) -> None:
    """A plugin that registers a plain dict is told so by name, and nothing breaks."""
    register_plugin(Registers({"name": "dict"}, make_exporter("fine")), "confused-plugin")
    assert "fine" in {e.name for e in storyfacts.formats()}
    assert failures_of("confused-plugin") == [
        "registered {'name': 'dict'}, which is not an Exporter"
    ]


def test_hook_that_raises_is_reported_and_others_work(
    register_plugin: Callable[[object, str], None], tmp_path: Path
) -> None:
    """An exception inside register_exporters is reported with the plugin's name."""

    class Raises:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            raise ValueError("no config file")

    register_plugin(Raises(), "raising-plugin")
    assert failures_of("raising-plugin") == ["register_exporters raised ValueError: no config file"]
    assert storyfacts.export(None, "json", tmp_path / "out.json").exists()


def test_one_plugins_failure_leaves_the_others_registered(
    register_plugin: Callable[[object, str], None],
) -> None:
    """Plugins called after a raising one in the same pluggy call still register theirs."""

    class Raises:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            raise ValueError("broken")

    # pluggy calls the last registered first: "after" runs, then "raising", then "before".
    register_plugin(Registers(make_exporter("before")), "before-plugin")
    register_plugin(Raises(), "raising-plugin")
    register_plugin(Registers(make_exporter("after")), "after-plugin")
    assert {"before", "after"} <= set(plugins.exporters())
    assert failures_of("raising-plugin") == ["register_exporters raised ValueError: broken"]


def test_wrapper_hookimpl_wraps_the_whole_call(
    register_plugin: Callable[[object, str], None],
) -> None:
    """A ``wrapper=True`` implementation runs once, around every plugin's registration."""
    events: list[str] = []

    class Plain:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            events.append("plain")
            register(make_exporter("plain"))

    class Wrapper:
        @hookimpl(wrapper=True)
        def register_exporters(self, register: Callable[[Exporter], None]) -> Iterator[None]:
            events.append("before")
            result = yield
            events.append("after")
            register(make_exporter("from-wrapper"))
            return result

    register_plugin(Wrapper(), "wrapper-plugin")
    register_plugin(Plain(), "plain-plugin")
    found = plugins.exporters()
    assert events == ["before", "plain", "after"]
    assert found["from-wrapper"].plugin == "wrapper-plugin"
    assert found["plain"].plugin == "plain-plugin"
    assert "json" in found


def test_failing_wrapper_is_reported_and_the_others_still_register(
    register_plugin: Callable[[object, str], None],
) -> None:
    """A wrapper that raises is named; the call is made again without it."""

    class Wrapper:
        @hookimpl(wrapper=True)
        def register_exporters(self, register: Callable[[Exporter], None]) -> Iterator[None]:
            yield
            raise KeyError("teardown")

    register_plugin(Registers(make_exporter("plain")), "plain-plugin")
    register_plugin(Wrapper(), "bad-wrapper")
    assert {"plain", "json"} <= set(plugins.exporters())
    assert failures_of("bad-wrapper") == ["register_exporters raised KeyError: 'teardown'"]
    assert failures_of("plain-plugin") == []


def test_hookcall_monitoring_sees_register_exporters(fresh_plugins: None) -> None:
    """pluggy's hook-call monitoring sees the one call that collects the exporters."""
    calls: list[tuple[str, list[str]]] = []

    def before(name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
        calls.append((name, sorted(impl.plugin_name for impl in impls)))

    def after(outcome: Any, name: str, impls: list[Any], kwargs: dict[str, Any]) -> None:
        return None

    undo = plugins.plugin_manager().add_hookcall_monitoring(before, after)
    try:
        found = plugins.exporters()
    finally:
        undo()
    assert [name for name, _ in calls] == ["register_exporters"]
    assert set(plugins.DEFAULT_PLUGINS) <= set(calls[0][1])
    assert "json" in found


class _Misspelled:
    @hookimpl
    def register_exporter(self, register: Callable[[Exporter], None]) -> None:
        raise AssertionError("never called")


def test_misspelled_hook_is_refused_by_name(fresh_plugins: None) -> None:
    """``register_exporter`` (no s) is refused, naming the plugin and the unknown hook."""

    with pytest.raises(PluginError) as caught:
        plugins.register(_Misspelled(), "typo-plugin")
    assert caught.value.plugin == "typo-plugin"
    assert "unknown hook register_exporter;" in caught.value.reason
    assert "typo-plugin" not in {p.name for p in plugins.plugins()}
    assert "json" in {e.name for e in storyfacts.formats()}


def test_misspelled_hook_message_lists_only_real_hooks(fresh_plugins: None) -> None:
    """The refusal names the real hooks, and not the misspelled one, as storyfacts hooks."""

    with pytest.raises(PluginError) as caught:
        plugins.register(_Misspelled(), "typo-plugin")
    assert caught.value.reason.endswith("storyfacts hooks are: register_exporters")


def test_hook_with_unknown_argument_is_refused_by_name() -> None:
    """A hook asking for an argument the spec lacks is refused, naming plugin and argument."""

    class ExtraArgument:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None], verbose: bool) -> None:
            raise AssertionError("never called")

    with pytest.raises(PluginError) as caught:
        plugins.register(ExtraArgument(), "extra-plugin")
    assert caught.value.plugin == "extra-plugin"
    assert "bad hook" in caught.value.reason and "verbose" in caught.value.reason
    assert "extra-plugin" not in {p.name for p in plugins.plugins()}


def test_installed_broken_plugins_are_reported_by_name_and_distribution(
    site: Callable[[Path], str], run_cli: RunCli, tmp_path: Path
) -> None:
    """Each broken package is reported with its distribution; the rest keep working."""
    for package in sorted(BROKEN.iterdir()):
        site(package)
    found = {f.plugin: f for f in plugins.failures()}
    expected = {
        "broken-import": "failed to import: ModuleNotFoundError: No module named "
        "'storyfacts_missing_dependency'",
        "bad-hook": "bad hook",
        "misspelled-hook": "unknown hook register_exporter;",
    }
    for plugin, reason in expected.items():
        assert reason in found[plugin].reason
        assert found[plugin].distribution == f"storyfacts-{plugin}"
    loaded = {p.name: p for p in plugins.plugins()}
    assert loaded["failing-writer"].distribution == "storyfacts-failing-writer"
    assert loaded["failing-writer"].version == "0.0.1"
    assert not {"broken-import", "bad-hook", "misspelled-hook"} & set(loaded)
    assert storyfacts.export(None, "json", tmp_path / "out.json").exists()
    code, out, err = run_cli("formats")
    assert code == 0 and "failing" in out and "json" in out
    assert "failed: Plugin 'broken-import' (from storyfacts-broken-import): failed to import" in err


# Name clashes -----------------------------------------------------------------------


def test_builtin_exporter_wins_a_name_clash(register_plugin: Callable[[object, str], None]) -> None:
    """A plugin registering "json" is hidden behind the built-in and told so."""
    register_plugin(Registers(make_exporter("json")), "aaa-impostor")
    assert plugins.exporter("json").plugin == "storyfacts.exporters.json"
    assert failures_of("aaa-impostor") == [
        "exporter 'json' is hidden: plugin 'storyfacts.exporters.json' already provides that name"
    ]


@pytest.mark.parametrize("order", [("alpha", "zeta"), ("zeta", "alpha")])
def test_plugin_name_order_settles_clashes_between_plugins(
    register_plugin: Callable[[object, str], None], order: tuple[str, str]
) -> None:
    """Between two plugins the one whose name sorts first wins, whichever registered first."""
    for plugin in order:
        register_plugin(Registers(make_exporter("clash", description=f"From {plugin}.")), plugin)
    for _ in range(2):  # the answer is the same when asked again
        assert plugins.exporter("clash").plugin == "alpha"
        assert failures_of("zeta") == [
            "exporter 'clash' is hidden: plugin 'alpha' already provides that name"
        ]
        assert failures_of("alpha") == []


# Environment variables -------------------------------------------------------------


def test_load_plugins_allow_list_imports_only_the_named_plugins(
    site: Callable[[Path], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With STORYFACTS_LOAD_PLUGINS set, other entry-point plugins are never imported."""
    site(BROKEN / "storyfacts-failing-writer")
    site(BROKEN / "storyfacts-bad-hook")
    monkeypatch.setenv("STORYFACTS_LOAD_PLUGINS", "failing-writer")
    plugins.reset()
    assert "failing" in {e.name for e in storyfacts.formats()}
    assert "bad-hook" not in {f.plugin for f in plugins.failures()}
    assert "storyfacts_bad_hook" not in sys.modules
    assert "storyfacts_failing_writer" in sys.modules


def test_empty_load_plugins_keeps_only_builtins(
    site: Callable[[Path], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """STORYFACTS_LOAD_PLUGINS set to nothing loads no third-party plugin, only built-ins."""
    site(BROKEN / "storyfacts-failing-writer")
    monkeypatch.setenv("STORYFACTS_LOAD_PLUGINS", "")
    plugins.reset()
    assert all(p.builtin for p in plugins.plugins())
    assert "json" in {e.name for e in storyfacts.formats()}
    assert "storyfacts_failing_writer" not in sys.modules


def test_block_plugins_blocks_before_import(
    site: Callable[[Path], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin named in STORYFACTS_BLOCK_PLUGINS is never imported, not merely ignored."""
    site(BROKEN / "storyfacts-failing-writer")
    site(BROKEN / "storyfacts-bad-hook")
    monkeypatch.setenv("STORYFACTS_BLOCK_PLUGINS", " failing-writer , bad-hook ")
    plugins.reset()
    assert "failing" not in {e.name for e in storyfacts.formats()}
    assert not {"failing-writer", "bad-hook"} & {p.name for p in plugins.plugins()}
    assert not {"failing-writer", "bad-hook"} & {f.plugin for f in plugins.failures()}
    assert "storyfacts_failing_writer" not in sys.modules
    assert "storyfacts_bad_hook" not in sys.modules


def test_block_plugins_can_block_a_builtin(
    fresh_plugins: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocking a built-in module by name removes its format and nothing else."""
    monkeypatch.setenv("STORYFACTS_BLOCK_PLUGINS", "storyfacts.exporters.json")
    plugins.reset()
    assert "json" not in {e.name for e in storyfacts.formats()}
    assert "storyfacts.exporters.json" not in {p.name for p in plugins.plugins()}
    assert "storyfacts.exporters.json" not in {f.plugin for f in plugins.failures()}


# A failing export leaves nothing half-written -----------------------------------------

PARTIAL = "half a file\n"
EXISTING = b"The editor's copy, which must survive byte for byte.\r\n\xe2\x80\x94 end\n"


def write_half_then_fail(dataset: Dataset, path: Path, context: ExportContext) -> None:
    if path.is_dir():
        (path / "part.txt").write_text(PARTIAL, encoding="utf-8")
    else:
        path.write_text(PARTIAL, encoding="utf-8")
    context.advance(1)
    raise RuntimeError("the disk filled up half-way")


def test_failing_export_leaves_existing_file_intact(
    register_plugin: Callable[[object, str], None], tmp_path: Path
) -> None:
    """storyfacts.export raises ExportError naming the plugin; the old file is untouched."""
    register_plugin(Registers(make_exporter("half", write=write_half_then_fail)), "half-plugin")
    target = tmp_path / "story.txt"
    target.write_bytes(EXISTING)
    with pytest.raises(storyfacts.ExportError) as caught:
        storyfacts.export(None, "half", target)
    assert "RuntimeError: the disk filled up half-way" in str(caught.value)
    assert "plugin 'half-plugin'" in str(caught.value)
    assert target.read_bytes() == EXISTING
    assert [p.name for p in tmp_path.iterdir()] == ["story.txt"]


def test_failing_directory_export_leaves_existing_directory_intact(
    register_plugin: Callable[[object, str], None], tmp_path: Path
) -> None:
    """A directory exporter that fails leaves the old directory and its files as they were."""
    exporter = make_exporter("half-dir", write=write_half_then_fail, directory=True)
    register_plugin(Registers(exporter), "half-dir-plugin")
    target = tmp_path / "tables"
    target.mkdir()
    (target / "old.csv").write_bytes(EXISTING)
    with pytest.raises(storyfacts.ExportError):
        storyfacts.export(None, "half-dir", target)
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]
    assert [p.name for p in target.iterdir()] == ["old.csv"]
    assert (target / "old.csv").read_bytes() == EXISTING


def test_failing_export_on_the_command_line_leaves_existing_file_intact(
    register_plugin: Callable[[object, str], None],
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    """`storyfacts export` exits 1, names the plugin, and leaves the old file as it was."""
    register_plugin(Registers(make_exporter("half", write=write_half_then_fail)), "half-plugin")
    target = tmp_path / "story.txt"
    target.write_bytes(EXISTING)
    code, out, err = run_cli("export", "-f", "half", "-o", str(target))
    assert code == 1
    assert out == ""
    assert "nothing was written" in err and "plugin 'half-plugin'" in err
    assert target.read_bytes() == EXISTING
    assert [p.name for p in tmp_path.iterdir()] == ["story.txt"]


# Listing as JSON ----------------------------------------------------------------------


def test_formats_json_lists_every_exporter_with_its_declaration(
    run_cli: RunCli,
) -> None:
    """`storyfacts formats --json` gives one object per exporter with the declared fields."""
    code, out, _ = run_cli("formats", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == sorted(e.name for e in storyfacts.formats())
    keys = {
        "name",
        "extension",
        "media_type",
        "description",
        "streams",
        "directory",
        "options",
        "plugin",
        "distribution",
        "version",
    }
    assert all(set(r) == keys for r in rows)
    assert (json_row_origin := next(r for r in rows if r["name"] == "json")) is not None
    assert (json_row_origin["distribution"], json_row_origin["version"]) == (
        "storyfacts",
        storyfacts.__version__,
    )
    json_row = next(r for r in rows if r["name"] == "json")
    assert {
        k: json_row[k] for k in ("extension", "media_type", "streams", "directory", "plugin")
    } == {
        "extension": ".json",
        "media_type": "application/json",
        "streams": True,
        "directory": False,
        "plugin": "storyfacts.exporters.json",
    }


def test_plugins_json_lists_plugins_and_failures(
    register_plugin: Callable[[object, str], None], run_cli: RunCli
) -> None:
    """`storyfacts plugins --json` gives the plugins with their hooks, and each failure."""
    register_plugin(Registers(make_exporter("bad name")), "sloppy-plugin")
    code, out, _ = run_cli("plugins", "--json")
    assert code == 0
    listing = json.loads(out)
    assert set(listing) == {"plugins", "failures"}
    assert all(
        set(p) == {"name", "hooks", "distribution", "version", "builtin"}
        for p in listing["plugins"]
    )
    assert {
        "name": "sloppy-plugin",
        "hooks": ["register_exporters"],
        "distribution": None,
        "version": None,
        "builtin": False,
    } in listing["plugins"]
    assert all(set(f) == {"plugin", "reason", "distribution"} for f in listing["failures"])
    mine = [f for f in listing["failures"] if f["plugin"] == "sloppy-plugin"]
    assert len(mine) == 1 and mine[0]["reason"].startswith("bad exporter 'bad name': name")


# The conformance kit --------------------------------------------------------------------


@pytest.mark.parametrize("format_name", plugins.builtin_formats())
def test_builtin_exporter_passes_the_conformance_kit(format_name: str, tmp_path: Path) -> None:
    """Every built-in exporter present keeps the promises the kit checks."""
    report = check_exporter(format_name, directory=tmp_path)
    assert report.ok and len(report.checks) == 11
    # Each declares what it leaves out, so each field of the model is checked.
    assert (
        report.checks[-1].name.startswith("writes every field")
        and report.checks[-1].outcome == "passed"
    )


def test_example_markdown_plugin_passes_the_conformance_kit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The example package in plugins/ passes the kit, installed or imported from its source."""
    if "markdown" in {e.name for e in storyfacts.formats()}:
        report = check_exporter("markdown", directory=tmp_path)
    else:
        monkeypatch.syspath_prepend(str(MARKDOWN_SRC))
        plugin = importlib.import_module("storyfacts_markdown")
        report = check_exporter(plugin, plugin_name="markdown", directory=tmp_path)
    assert [c.format for c in report.checks] == ["markdown"] * 11


def test_tutorial_plugin_passes_the_conformance_kit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The plugin the tutorial builds, from the very file it shows, passes the kit."""
    monkeypatch.syspath_prepend(str(TUTORIAL))
    monkeypatch.delitem(sys.modules, "tutorial_plugin", raising=False)
    plugin = importlib.import_module("tutorial_plugin")
    report = check_exporter(plugin, plugin_name="quotes", directory=tmp_path)
    assert report.ok
    assert "quotes" not in {e.name for e in storyfacts.formats()}


@pytest.mark.parametrize("n_statements, seed", [(0, 0), (1, 1), (4, 2), (12, 3), (50, 4)])
def test_make_dataset_is_valid(n_statements: int, seed: int) -> None:
    """Generated datasets of every size are valid and have the statements asked for."""
    dataset = make_dataset(n_statements, seed=seed)
    assert storyfacts.validate(dataset) == []
    assert len(dataset.statements) == n_statements


@settings(derandomize=True, max_examples=30, deadline=None)
@given(n_statements=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_make_dataset_is_valid_for_any_size_and_seed(n_statements: int, seed: int) -> None:
    """No seed or size gives an invalid dataset: seeds vary content, never validity."""
    assert storyfacts.validate(make_dataset(n_statements, seed=seed)) == []


def test_make_dataset_covers_every_type_script_and_precision() -> None:
    """Twelve statements cover every entity and statement type, script and date precision."""
    dataset = make_dataset(12, seed=0)
    assert {e.type for e in dataset.entities} == set(ENTITY_TYPES)
    assert {s.type for s in dataset.statements} == set(STATEMENT_TYPES)
    text = storyfacts.dumps(dataset)
    assert "Анна Петрова" in text and "王小明" in text and "Zoë Bäumler" in text
    assert {d["precision"] for d in _dates(text)} == {"year", "month", "day"}


def _dates(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        if "precision" in obj:
            found.append(obj)
        return obj

    json.loads(text, object_hook=hook)
    return found


def test_make_dataset_depends_only_on_its_arguments() -> None:
    """The same seed gives the same dataset; another seed gives another."""
    assert storyfacts.dumps(make_dataset(20, seed=7)) == storyfacts.dumps(make_dataset(20, seed=7))
    assert storyfacts.dumps(make_dataset(20, seed=7)) != storyfacts.dumps(make_dataset(20, seed=8))


def test_empty_datasets_are_valid() -> None:
    """The empty dataset has no records; the one-article dataset has its article and publisher."""
    empty, one = empty_dataset(), empty_dataset(with_article=True)
    assert storyfacts.validate(empty) == [] and storyfacts.validate(one) == []
    assert list(empty.records()) == []
    assert [r.id for r in one.records()] == ["article-1", "organization-x"]


counter = itertools.count()


def write_with_counter(dataset: Dataset, path: Path, context: ExportContext) -> None:
    write_names(dataset, path, context)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"export number {next(counter)}\n")


def write_escaped(dataset: Dataset, path: Path, context: ExportContext) -> None:
    text = "".join(f"{e.name}\n" for e in dataset.entities)
    path.write_text(text.encode("ascii", "backslashreplace").decode("ascii"), encoding="utf-8")


def write_utf16(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text("".join(f"{e.name}\n" for e in dataset.entities), encoding="utf-16")


def write_with_lock_file(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.with_name(path.name + ".lock").write_text("locked", encoding="utf-8")
    write_names(dataset, path, context)


def write_overcounting(dataset: Dataset, path: Path, context: ExportContext) -> None:
    write_names(dataset, path, context)
    context.advance(1)


def write_needing_articles(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text(dataset.articles[0].headline, encoding="utf-8")


FLAWS = {
    "clock-like counter": ({"write": write_with_counter}, "writes the same bytes every time"),
    "escaped text": ({"write": write_escaped}, "keeps Latin, Cyrillic and Chinese text"),
    "UTF-16 text": ({"write": write_utf16}, "writes text as UTF-8"),
    "lock file left": ({"write": write_with_lock_file}, "leaves nothing behind when it fails"),
    "progress over total": ({"write": write_overcounting}, "reports progress within the total"),
    "csv as json": (
        {"extension": ".csv", "media_type": "application/json"},
        "declares a fitting extension and media type",
    ),
    "needs an article": ({"write": write_needing_articles}, "writes empty datasets"),
}


@pytest.mark.parametrize("changes, check", FLAWS.values(), ids=list(FLAWS))
def test_conformance_kit_catches_a_flawed_exporter(
    changes: dict[str, Any], check: str, tmp_path: Path
) -> None:
    """Each flaw fails its own check, named in the error, and the kit runs every other check."""
    with pytest.raises(ConformanceError) as caught:
        check_exporter(make_exporter("flawed", **changes), directory=tmp_path)
    report = caught.value.report
    assert len(report.checks) == 11
    assert any(c.name.startswith(check) for c in report.failed), str(report)
    assert f"- [flawed] {check}" in str(caught.value)
    assert "flawed" not in {e.name for e in storyfacts.formats()}


def test_conformance_kit_passes_a_correct_exporter(tmp_path: Path) -> None:
    """A plain, correct text exporter passes every check; it declares no omitted, so the
    field-by-field check alone is skipped."""
    report = check_exporter(make_exporter("plain"), directory=tmp_path)
    assert [c.outcome for c in report.checks] == ["passed"] * 10 + ["skipped"]


def write_zip(dataset: Dataset, path: Path, context: ExportContext) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("names.txt", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, "".join(f"{e.name}\n" for e in dataset.entities))


def test_conformance_kit_skips_text_checks_for_binary_formats(tmp_path: Path) -> None:
    """A zip exporter passes, with the UTF-8 and Unicode checks skipped as not applicable."""
    exporter = make_exporter(
        "zipped", extension=".zip", media_type="application/zip", write=write_zip
    )
    report = check_exporter(exporter, directory=tmp_path)
    skipped = {c.name for c in report.checks if c.outcome == "skipped"}
    assert skipped == {
        "writes text as UTF-8",
        "keeps Latin, Cyrillic and Chinese text",
        "writes every field it does not declare omitted",
    }


def write_tables(dataset: Dataset, path: Path, context: ExportContext) -> None:
    (path / "entities.csv").write_text(
        "".join(f"{e.id},{e.name}\n" for e in dataset.entities), encoding="utf-8"
    )
    (path / "meta.json").write_text(json.dumps({"id": dataset.id}), encoding="utf-8")


def test_conformance_kit_checks_every_file_of_a_directory_exporter(tmp_path: Path) -> None:
    """A directory exporter passes, its CSV file searched for Unicode text."""
    exporter = make_exporter(
        "tables", extension=".csv", media_type="text/csv", write=write_tables, directory=True
    )
    report = check_exporter(exporter, directory=tmp_path)
    assert [c.outcome for c in report.checks] == ["passed"] * 10 + ["skipped"]


def test_conformance_kit_reports_a_format_that_is_not_installed() -> None:
    """Checking a format no plugin provides fails, listing the formats there are."""
    with pytest.raises(ConformanceError, match=r"no exporter is called 'no-such-format'.*json"):
        check_exporter("no-such-format")


def test_conformance_kit_reports_an_exporter_hidden_by_a_builtin(tmp_path: Path) -> None:
    """An exporter named like a built-in fails the kit with the reason it is hidden."""
    with pytest.raises(ConformanceError, match="'json' is hidden"):
        check_exporter(make_exporter("json"), plugin_name="my-json", directory=tmp_path)


def test_conformance_kit_reports_a_plugin_that_registers_nothing() -> None:
    """A plugin whose only exporter is refused fails the kit with the refusal."""
    with pytest.raises(ConformanceError, match="must start with a dot"):
        check_exporter(Registers(make_exporter("dotless", extension="txt")), plugin_name="dotless")
    assert "dotless" not in {p.name for p in plugins.plugins()}


def test_conformance_kit_checks_every_exporter_of_a_plugin(tmp_path: Path) -> None:
    """Given a plugin with two exporters, the kit checks both."""
    plugin = Registers(make_exporter("first"), make_exporter("second"))
    report = check_exporter(plugin, plugin_name="two-formats", directory=tmp_path)
    assert [c.format for c in report.checks] == ["first"] * 11 + ["second"] * 11
