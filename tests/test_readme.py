"""The README's quick start stays exactly two commands, and CI runs the second."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command(marker: str) -> str:
    m = re.search(rf"<!-- {marker} -->\n```sh\n(.+)\n```", README)
    assert m, f"README lacks the {marker} block"
    return m.group(1)


def test_quick_start_has_a_demo_and_a_test_command():
    demo, test = _command("demo-command"), _command("test-command")
    assert "kg build examples/corpus" in demo and "kg query" in demo
    assert "pytest" in test
    assert "\n" not in demo and "\n" not in test


def test_ci_runs_the_readme_test_command():
    out = subprocess.run(
        ["sed", "-n", "/<!-- test-command -->/{n;n;p;}", "README.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == _command("test-command")
    assert "README.md" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_demo_query_file_exists():
    demo = _command("demo-command")
    for path in re.findall(r"examples/\S+\.rq", demo):
        assert (ROOT / path).is_file(), path


def test_quick_start_says_how_to_install_the_released_package():
    import tomllib

    name = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert f"`pip install {name}`" in quick_start
