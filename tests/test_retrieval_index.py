"""The on-disk index: BM25 postings and diacritic forms grown and shrunk incrementally, paged Chroma reads,
unit scoping, and the index following approvals without a rebuild."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from db.models import ProcessedUpdate, Report, Unit
from retrieval import forms, lexical
from retrieval.index_db import LIBRARY, IndexDB, SourceRow
from retrieval.store import PAGE, VectorStore

DOCS = ["Làm sạch dữ liệu dân cư bảo đảm đúng, đủ, sạch, sống.",
        "Dữ liệu về đất đai; dân số và cư trú của xã.",
        "Cấp thẻ Căn cước công dân gắn chip.",
        "Tuyên truyền cho người dân cài đặt ứng dụng VNeID.",
        "Công an xã kích hoạt tài khoản định danh điện tử mức độ 2."]


def _db(tmp_path, name="index") -> IndexDB:
    return IndexDB(tmp_path / f"{name}.sqlite3", (lexical.SCHEMA, forms.SCHEMA))


def _add(db: IndexDB, key: str, texts: list[str], unit: int = LIBRARY) -> None:
    with db.write() as c:
        counts = [lexical.term_counts(t, "") for t in texts]
        ids = db.add_passages(c, SourceRow(key, "1", unit), [(f"{key}-{i}", t, {"unit_id": unit, "so_hieu": ""},
                                                              sum(n.values())) for i, (t, n) in
                                                             enumerate(zip(texts, counts))])
        lexical.add(c, [(pid, unit, n) for pid, n in zip(ids, counts)])
        forms.add(c, forms.count(texts))


def _remove(db: IndexDB, key: str) -> None:
    with db.write() as c:
        gone = db.remove_source(c, key)
        lexical.remove(c, [(p.id, p.meta["unit_id"], set(lexical.term_counts(p.text, ""))) for p in gone])
        forms.add(c, forms.count(p.text for p in gone), sign=-1)


def _top(db: IndexDB, q: str, scope=(LIBRARY,), k: int = 5) -> list[tuple[str, float]]:
    ids = lexical.top(db.conn(), q, list(scope), k, db.totals())
    chunk = {p.id: p.chunk_id for p in db.passages(ids=[i for i, _ in ids])}
    return [(chunk[i], round(s, 5)) for i, s in ids]


def test_bm25_folds_diacritics_and_prefers_the_phrase(tmp_path):
    db = _db(tmp_path)
    _add(db, "d", DOCS[:3])
    assert _top(db, "du lieu dan cu")[0][0] == "d-0"  # the bigram "dan_cu" beats scattered "dân"/"cư"
    assert _top(db, "can cuoc")[0][0] == "d-2"
    assert _top(db, "xyz") == []


def test_removal_and_many_small_additions_score_as_a_fresh_index(tmp_path):
    grown = _db(tmp_path, "grown")
    for i, text in enumerate(DOCS * 4):  # one source per passage: more segments than MAX_SEGMENTS per term
        _add(grown, f"s{i}", [text])
    for i in range(0, len(DOCS) * 4, 3):
        _remove(grown, f"s{i}")
    fresh = _db(tmp_path, "fresh")
    kept = [(f"s{i}", t) for i, t in enumerate(DOCS * 4) if i % 3]
    _add(fresh, "all", [t for _, t in kept])
    rename = {f"all-{j}": f"{key}-0" for j, (key, _) in enumerate(kept)}
    for q in ("dữ liệu dân cư", "cong an xa kich hoat dinh danh", "căn cước", "VNeID tuyên truyền"):
        assert _top(grown, q, k=20) == [(rename[c], s) for c, s in _top(fresh, q, k=20)], q
    segments = grown.conn().execute("SELECT max(n) FROM (SELECT count(*) n FROM postings GROUP BY term, scope)")
    assert segments.fetchone()[0] <= lexical.MAX_SEGMENTS


def test_diacritic_forms_follow_additions_and_removals(tmp_path):
    db = _db(tmp_path)
    restorer = forms.restorer(db.conn)
    _add(db, "a", ["Dân cư trong xã."])
    assert restorer.restore("dan cu") == "dân cư"
    _add(db, "b", ["Dẫn cũ ra. Dẫn cũ ra. Dẫn cũ vào."])  # now the more frequent pair
    assert restorer.restore("dan cu") == "dẫn cũ"
    _remove(db, "b")
    assert restorer.restore("dan cu") == "dân cư"
    _remove(db, "a")
    assert restorer.restore("dan cu") == "dan cu"  # nothing left to learn from
    assert db.conn().execute("SELECT count(*) FROM forms").fetchone()[0] == 0


def test_a_unit_sees_the_library_and_its_own_reports_only(tmp_path):
    db = _db(tmp_path)
    _add(db, "lib", [DOCS[0]])
    _add(db, "u1", ["Xã Hòa An làm sạch dữ liệu dân cư 1.200 hồ sơ."], unit=1)
    _add(db, "u2", ["Xã Tân Phú làm sạch dữ liệu dân cư 900 hồ sơ."], unit=2)
    assert {c for c, _ in _top(db, "lam sach du lieu dan cu", (LIBRARY, 1))} == {"lib-0", "u1-0"}
    assert {c for c, _ in _top(db, "lam sach du lieu dan cu", (LIBRARY,))} == {"lib-0"}


class _FakeCollection:
    """Chroma's collection as far as VectorStore reads it, failing like SQLite above 32,766 variables."""

    def __init__(self, n: int) -> None:
        self.data = {f"id{i:06d}": None for i in range(n)}
        self.limits: list[int | None] = []

    def get(self, include, limit=None, offset=0):
        self.limits.append(limit)
        if limit is None or limit > 32_766:
            raise RuntimeError("too many SQL variables")
        return {"ids": list(self.data)[offset:offset + limit]}

    def count(self):
        return len(self.data)

    def delete(self, ids):
        for i in ids:
            self.data.pop(i, None)

    def upsert(self, ids, embeddings, documents, metadatas):
        self.data.update(dict.fromkeys(ids))


class _FakeClient:
    def __init__(self, collection) -> None:
        self.collection = collection

    def get_or_create_collection(self, name, embedding_function, metadata):
        return self.collection


def test_ids_are_read_in_pages_past_sqlites_variable_limit():
    coll = _FakeCollection(40_000)
    ids = list(VectorStore(_FakeClient(coll), "m").ids())
    assert len(ids) == len(set(ids)) == 40_000
    assert all(limit == PAGE for limit in coll.limits)


def test_repair_reconciles_a_large_store_page_by_page(tmp_path):
    from retrieval.embeddings import CachedEmbedder, VectorCache
    from retrieval.indexing import Indexer
    from tests.fakes.embedder import FakeEmbedder

    db = _db(tmp_path)
    _add(db, "lib", DOCS)
    coll = _FakeCollection(33_000)  # passages the index does not hold, plus none of its own
    store = VectorStore(_FakeClient(coll), "m")
    indexer = Indexer(db, lambda: store, CachedEmbedder(FakeEmbedder(), VectorCache(tmp_path / "v.sqlite3", "m")))
    assert indexer.repair() == len(DOCS)
    assert sorted(coll.data) == sorted(db.chunk_ids())


@pytest.fixture
def demo_library(demo_app, settings):
    from retrieval.library import get_library

    lib = get_library(settings)
    lib.ensure_indexed()
    yield demo_app[0], lib
    lib.close()


def test_a_closing_library_stops_indexing_after_a_batch_and_the_next_start_goes_on(demo_app, settings):
    from retrieval.library import get_library

    first = get_library(settings)
    first.indexer.stop()  # the process is leaving while the first start-up indexes
    first.ensure_indexed()
    partial = len(first.index_db.chunk_ids())
    first.close()
    again = get_library(settings)
    again.ensure_indexed()
    full = again.index_db.chunk_ids()
    again.close()
    assert partial < len(full) and len(full) == len(set(full))


def test_an_approval_is_indexed_alone_in_the_background(demo_library):
    db, lib = demo_library
    with db.session() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.code == "demo-hoa-an"))
        report = s.scalars(select(Report).where(Report.status == "approved").order_by(Report.id.desc())).first()
        report.status, label = "submitted", report.period.label
    before = len(lib.index)
    lib.ask("công văn 452 là gì?")  # the question that notices is answered at once; the sync runs after it
    lib.indexer.wait()
    removed = before - len(lib.index)
    assert removed > 0 and lib.index_db.chunk_ids(f"report:{report.id}") == []
    embedded = lib.embedder.embedded
    with db.session() as s:
        s.get(Report, report.id).status = "approved"
        s.get(Report, report.id).approved_at = s.get(Report, report.id).submitted_at
    lib.ask("công văn 452 là gì?")
    lib.indexer.wait()
    assert len(lib.index) == before
    assert lib.embedder.embedded == embedded  # the same text again: its vectors came from the cache
    assert lib.index_db.chunk_ids(f"report:{report.id}")
    hits = lib.index.search(f"mình báo cáo {label} thế nào?", k=3, unit_id=unit_id)
    assert hits[0].meta["doc_key"] == f"report:{report.id}"
    assert all(h.meta["provenance"] != "bao_cao" for h in lib.index.search(f"mình báo cáo {label}", k=20))



def test_officers_updates_do_not_wait_for_a_background_sync(demo_library, monkeypatch):
    """On SQLite a transaction is the database's write lock: the sync reads its sources, then lets go before
    indexing (it held it throughout, and a foreground sync taking the locks the other way round deadlocked)."""
    db, lib = demo_library
    indexing, release = threading.Event(), threading.Event()
    real_add = lib.indexer._add

    def slow_add(*a, **k):
        indexing.set()
        release.wait(10)
        return real_add(*a, **k)

    monkeypatch.setattr(lib.indexer, "_add", slow_add)
    with db.session() as s:
        s.scalars(select(Report).where(Report.status == "approved")).first().status = "submitted"
    lib.ask("công văn 452 là gì?")  # notices the change: the background sync starts
    assert indexing.wait(10)
    wrote = threading.Event()

    def officer_update():
        with db.session() as s:
            s.add(ProcessedUpdate(channel="test", update_id="during-sync"))
        wrote.set()

    officer = threading.Thread(target=officer_update)
    officer.start()
    try:
        assert wrote.wait(5), "an officer's update waited for the index"
    finally:
        release.set()
        officer.join()
        lib.indexer.wait()


def test_nothing_changed_means_no_work_and_no_chroma(demo_library, settings):
    from retrieval.library import Librarian

    again = Librarian(settings)
    assert again.ensure_indexed() is None
    assert again._client is None
    again.close()


def test_an_index_written_by_another_schema_starts_afresh(tmp_path):
    old = IndexDB(tmp_path / "i.sqlite3", ("CREATE TABLE IF NOT EXISTS extra (x);",))
    with old.write() as c:
        c.execute("INSERT INTO meta VALUES ('passages', '7')")
    old.close()
    new = _db(tmp_path, "i")
    assert new.count() == 0 and new.conn().execute("SELECT count(*) FROM postings").fetchone()[0] == 0
