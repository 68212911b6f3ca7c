"""Imports go one way: bot → domain (reporting → province, drafting → figures, knowledge, retrieval) → db; common is
below all. The province draft (drafting) reads the roll-up (province); province never imports drafting."""
import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OURS = {"common", "db", "figures", "knowledge", "retrieval", "drafting", "reporting", "province", "bot"}
FORBIDDEN = {
    "common": OURS - {"common"},
    "db": {"figures", "knowledge", "retrieval", "drafting", "reporting", "province", "bot"},
    "figures": {"bot", "retrieval", "drafting", "reporting", "province"},
    "knowledge": {"bot", "figures", "retrieval", "drafting", "reporting", "province", "db"},
    "retrieval": {"bot", "drafting", "reporting", "province"},
    "drafting": {"bot", "retrieval", "reporting"},
    "province": {"bot", "retrieval", "drafting", "reporting"},
    "reporting": {"bot"},
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
