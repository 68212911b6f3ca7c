"""Embedding threads under load: query latency with EMBEDDING_THREADS=1 against 2 (OpenMP threads are fixed
when the engine loads, so each setting runs in its own process), alternated and repeated; optionally with
busy processes started here (--load N) to mimic other work on a two-core server.

    .venv/bin/python bench/bench_threads.py [--rounds 4] [--queries 30] [--load 2]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "tests" / "data" / "qa_questions.yaml"
_MEASURE = """
import json, sys, time
sys.path.insert(0, {repo!r})
from retrieval.embeddings import E5Embedder
e = E5Embedder(int(sys.argv[1]))
qs = json.loads(sys.argv[2])
e.embed_batch(["khởi động"], query=True)
lat = []
for q in qs:
    t = time.perf_counter()
    e.embed_batch([q], query=True)
    lat.append(time.perf_counter() - t)
print(json.dumps(lat))
"""
_BUSY = "import itertools\nfor _ in itertools.count(): pass"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--load", type=int, default=0, help="busy processes to start beside the measurement")
    args = ap.parse_args()
    qs = json.dumps([q["q"] for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))][:args.queries])
    busy = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(args.load)]
    lat: dict[int, list[float]] = {1: [], 2: []}
    try:
        for r in range(args.rounds):
            for threads in ((1, 2) if r % 2 == 0 else (2, 1)):
                out = subprocess.run([sys.executable, "-c", _MEASURE.format(repo=str(REPO)), str(threads), qs],
                                     capture_output=True, text=True, check=True)
                lat[threads] += json.loads(out.stdout)
                time.sleep(0.5)
    finally:
        for p in busy:
            p.kill()
    for threads, xs in lat.items():
        xs.sort()
        print(f"EMBEDDING_THREADS={threads}: query p50 {statistics.median(xs) * 1000:.1f} ms, "
              f"p95 {xs[int(len(xs) * 0.95)] * 1000:.1f} ms, max {xs[-1] * 1000:.1f} ms ({len(xs)} queries, "
              f"{args.load} busy processes beside)")


if __name__ == "__main__":
    main()
