"""Imports go one way: bot → domain (figures, knowledge, retrieval, drafting, province) → db; common is below all.
The province draft (drafting) reads the roll-up (province); province never imports drafting."""
import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OURS = {"common", "db", "figures", "knowledge", "retrieval", "drafting", "bot", "province"}
FORBIDDEN = {
    "common": OURS - {"common"},
    "db": {"figures", "knowledge", "retrieval", "drafting", "bot", "province"},
    "figures": {"bot", "retrieval", "drafting", "province"},
    "knowledge": {"bot", "figures", "retrieval", "drafting", "db", "province"},
    "retrieval": {"bot", "drafting", "province"},
    "drafting": {"bot", "retrieval"},
    "province": {"bot", "retrieval", "drafting"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downwards(package):
    bad = {}
    for path in (REPO / package).rglob("*.py"):
        wrong = _imports(path) & FORBIDDEN[package]
        if wrong:
            bad[str(path.relative_to(REPO))] = sorted(wrong)
    assert not bad, bad
