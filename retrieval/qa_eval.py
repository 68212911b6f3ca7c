"""Measure the answers on a labelled question set (tests/data/qa_questions.yaml to tune on, qa_heldout.yaml to
report): right document first (hit@1) or among the first three (hit@3), out-of-scope questions refused, the
first quoted passage about the level a question names, enumerations quoted whole.

    python -m retrieval.qa_eval tests/data/qa_heldout.yaml [--data-dir DIR] [-v]

The checks read only the answer an officer would see (its text and citations), so any version of the answer
code can be measured the same way.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from common.vntext import fold
from common.yamlfile import read_yaml

# Folded phrases that show a passage is about a level of government.
LEVEL_MARKERS: dict[str, tuple[str, ...]] = {
    "xa": ("cap xa", "cong an xa", "ubnd xa", "uy ban nhan dan xa", "xa, phuong", "chu tich ubnd xa"),
    "huyen": ("huyen",),
    "tinh": ("cap tinh", "ubnd tinh", "uy ban nhan dan tinh", "cong an tinh", "chu tich ubnd cap tinh"),
    "bo": ("bo truong", "trung uong", "cap bo", "bo, nganh", "bo, co quan"),
}
_LEFT_OUT = re.compile(r"còn \d+ (?:mục|ý|dịch vụ|nhóm|phương thức)")
_DATE = re.compile(r"\b0?(\d{1,2})/0?(\d{1,2})/(\d{4})\b")


def _facts(text: str) -> str:
    """Folded, with dates in one form: "01/07/2024" and "1/7/2024" state the same fact."""
    return _DATE.sub(r"\1/\2/\3", fold(text))


class Cited(Protocol):
    @property
    def so_hieu(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def excerpt(self) -> str: ...


class Answered(Protocol):
    """What the checks read of an answer (retrieval.answer.Answer, or any other version's)."""

    @property
    def answer(self) -> str: ...
    @property
    def found(self) -> bool: ...
    @property
    def citations(self) -> Iterable[Cited]: ...


@dataclass
class Outcome:
    q: dict
    cited: list[str]
    found: bool
    text: str
    checks: dict[str, bool] = field(default_factory=dict)


def judge(q: dict, found: bool, cited: list[str], text: str, first_passage: str) -> Outcome:
    o = Outcome(q, cited, found, text)
    folded = _facts(text)
    if q.get("expect") is None:
        o.checks["refused"] = not found
        return o
    o.checks["hit1"] = found and cited[:1] == [q["expect"]]
    o.checks["hit3"] = found and q["expect"] in cited[:3]
    if q.get("level"):
        o.checks["level"] = found and any(m in fold(first_passage) for m in LEVEL_MARKERS[q["level"]])
    if q.get("items"):
        o.checks["list"] = found and (all(_facts(i) in folded for i in q["items"]) or bool(_LEFT_OUT.search(text)))
    if q.get("says"):
        o.checks["says"] = found and all(_facts(s) in folded for s in q["says"])
    return o


def evaluate(ask: Callable[[str], Answered], questions: list[dict]) -> list[Outcome]:
    """`ask(question)` returns an answer with .answer, .found and .citations (so_hieu, section, excerpt)."""
    out = []
    for q in questions:
        a = ask(q["q"])
        cites = list(a.citations)
        first = f"{cites[0].section} {cites[0].excerpt}" if cites else ""
        out.append(judge(q, a.found, [c.so_hieu for c in cites], a.answer, first))
    return out


def summary(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """check name -> (passed, counted)."""
    res: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        for name, ok in o.checks.items():
            p, n = res.get(name, (0, 0))
            res[name] = (p + ok, n + 1)
    in_scope = [o for o in outcomes if o.q.get("expect") is not None]
    res["false_refusals"] = (sum(not o.found for o in in_scope), len(in_scope))
    return res


def format_summary(res: dict[str, tuple[int, int]]) -> str:
    names = {"hit1": "hit@1", "hit3": "hit@3", "refused": "out of scope refused", "level": "level right",
             "list": "lists complete", "says": "key facts stated", "false_refusals": "in scope refused (bad)"}
    return "\n".join(f"{names.get(k, k):24} {p}/{n}" + (f" = {p / n:.2f}" if n else "")
                     for k, (p, n) in res.items())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--data-dir", type=Path, help="reuse this data dir (its vector cache) between runs")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failed check")
    args = ap.parse_args(argv)

    from common.settings import Settings
    from db import migrate
    from retrieval.library import Librarian

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="qa_eval_"))
    settings = Settings(_env_file=None, data_dir=data_dir)
    settings.ensure_dirs()
    migrate.upgrade(settings.db_url)
    lib = Librarian(settings)
    lib.ensure_indexed()
    try:
        for path in args.files:
            outcomes = evaluate(lib.ask, read_yaml(path))
            sys.stdout.write(f"== {path.name} ({len(outcomes)} questions)\n{format_summary(summary(outcomes))}\n")
            if args.verbose:
                for o in outcomes:
                    failed = [k for k, ok in o.checks.items() if not ok]
                    if failed:
                        sys.stdout.write(f"- {o.q['q']!r} expect {o.q.get('expect')} got {o.cited[:3]} "
                                         f"found={o.found} failed={failed}\n")
    finally:
        lib.close()


if __name__ == "__main__":
    main()
