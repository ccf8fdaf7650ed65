"""Keep the hooks, their documentation and their tests in step, as datasette does."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

from storyfacts import hookspecs, plugins

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugins"
HOOKS_DOC = GUIDE / "hooks.md"


def hook_specs() -> dict[str, Callable[..., Any]]:
    manager = pluggy.PluginManager("storyfacts")
    manager.add_hookspecs(hookspecs)
    return {
        name: caller.spec.function
        for name, caller in sorted(vars(manager.hook).items())
        if isinstance(caller, pluggy.HookCaller) and caller.spec is not None
    }


def written_signature(function: Callable[..., Any]) -> str:
    """The signature as the source spells it: ``name(arg: Type) -> Return``."""
    signature = inspect.signature(function)
    arguments = ", ".join(
        name if p.annotation is p.empty else f"{name}: {p.annotation}"
        for name, p in signature.parameters.items()
    )
    returns = "" if signature.return_annotation is signature.empty else signature.return_annotation
    return f"{function.__name__}({arguments})" + (f" -> {returns}" if returns else "")


def hook_sections() -> dict[str, str]:
    """The text of each ``## hook_name`` section of hooks.md, by hook name."""
    text = HOOKS_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ([a-z_]+)\n", text, flags=re.M)
    return {
        name: body.split("\n## ", 1)[0] for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


HOOKS = hook_specs()


def test_there_are_hooks_to_check() -> None:
    """The hook specs are found, so the checks below cannot pass by checking nothing."""
    assert "register_exporters" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    """hooks.md has a section for the hook showing its signature exactly as the spec has it."""
    sections = hook_sections()
    assert hook in sections, f"docs/plugins/hooks.md has no '## {hook}' section"
    assert f"```python\n{written_signature(HOOKS[hook])}\n```" in sections[hook]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_arguments_are_each_described(hook: str) -> None:
    """Every argument of the hook is named in its section of hooks.md and in its docstring."""
    section = hook_sections()[hook]
    for argument in inspect.signature(HOOKS[hook]).parameters:
        assert f"- `{argument}`:" in section
        assert f":param {argument}:" in (HOOKS[hook].__doc__ or "")


def test_documented_hooks_all_exist() -> None:
    """hooks.md documents no hook that storyfacts does not have."""
    assert set(hook_sections()) <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook: str) -> None:
    """Some test module has a test named test_hook_<name>."""
    sources = (path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("test_*.py"))
    assert any(re.search(rf"^def test_hook_{hook}\(", s, flags=re.M) for s in sources)


def test_guide_documents_the_environment_variables_and_entry_point_group() -> None:
    """The guide names the variables and the entry-point group exactly as the code does."""
    guide = (GUIDE / "index.md").read_text(encoding="utf-8")
    for name in (plugins.LOAD_ENV, plugins.BLOCK_ENV):
        assert f"`{name}`" in guide
    assert f"[project.entry-points.{plugins.ENTRY_POINT_GROUP}]" in guide


def tutorial_files() -> dict[str, str]:
    """The files the tutorial asks the reader to create, by name."""
    text = (GUIDE / "tutorial.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^Create `([^`]+)`:\n\n```[a-z]*\n(.*?)^```$", text, re.M | re.S))


def test_tutorial_shows_the_tested_plugin_code_verbatim() -> None:
    """The module the tutorial shows is, byte for byte, the tested tutorial_plugin.py."""
    files = tutorial_files()
    assert set(files) == {"pyproject.toml", "storyfacts_quotes.py", "tests/test_quotes.py"}
    assert files["storyfacts_quotes.py"] == (GUIDE / "tutorial_plugin.py").read_text(
        encoding="utf-8"
    )


def test_guide_links_point_to_files_that_exist() -> None:
    """Every relative link in the guide leads to a file in the repository."""
    for page in GUIDE.glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
