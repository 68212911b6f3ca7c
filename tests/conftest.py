"""Fixtures: every test gets a fresh data dir and database (alembic upgrade head)."""
from __future__ import annotations

import io
import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from common.clock import StartedClock, local_instant, use_clock
from common.settings import Settings, reset_settings_cache

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPO = Path(__file__).resolve().parents[1]
# the shared seeds sit next to the main checkout; a git worktree elsewhere finds them further up
SEEDS = next((p / "shared" / "seeds" for p in REPO.parents if (p / "shared" / "seeds").is_dir()),
             REPO.parent / "shared" / "seeds")
DEMO_TODAY = date(2026, 11, 25)  # a Wednesday; the default frozen date, demo history is generated relative to it
NEW_YEAR_TODAY = date(2027, 1, 4)  # a Monday in a new year: week, month and year all differ from DEMO_TODAY

_ENV_KEYS = ["DATABASE_URL", "CHROMA_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "TELEGRAM_WEBHOOK_URL",
             "TELEGRAM_WEBHOOK_SECRET", "ZALO_BOT_TOKEN", "ZALO_BASE_URL", "ZALO_WEBHOOK_SECRET", "LLM_BASE_URL",
             "LLM_API_KEY", "LLM_MODEL", "EMBEDDING_BACKEND", "EMBEDDING_MODEL", "PUBLIC_BASE_URL"]


def pytest_generate_tests(metafunc):
    """Tests marked `two_dates` run once at each frozen date, so nothing depends on the day CI runs."""
    if metafunc.definition.get_closest_marker("two_dates"):
        metafunc.parametrize("today", [DEMO_TODAY, NEW_YEAR_TODAY], indirect=True,
                             ids=[d.isoformat() for d in (DEMO_TODAY, NEW_YEAR_TODAY)])


@pytest.fixture
def today(request) -> date:
    """The date the test runs on (Vietnam time); DEMO_TODAY unless the test is marked `two_dates`."""
    return getattr(request, "param", DEMO_TODAY)


@pytest.fixture(autouse=True)
def clock(today):
    """Every test runs on the project clock set to `today` 10:00 in Vietnam, never on the real date."""
    with use_clock(StartedClock(local_instant(today, 10))) as c:
        yield c


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    for k in _ENV_KEYS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("DATA_DIR", str(d))
    monkeypatch.chdir(tmp_path)  # no stray .env from the repo is read
    reset_settings_cache()
    yield d
    reset_settings_cache()


@pytest.fixture
def settings(data_dir) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir)


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_URL)
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on SQLite and on PostgreSQL (a throw-away schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'test.sqlite3').as_posix()}"
        return
    if not _pg_available():
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL not reachable at {PG_URL}")
        pytest.skip("PostgreSQL not reachable")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def app(settings):
    """(db, engine) on a fresh SQLite database in the temp data dir."""
    from bot.app import build

    db, engine = build(settings)
    yield db, engine
    db.dispose()


@pytest.fixture(scope="session")
def _demo_db_files(tmp_path_factory):
    """Migrated SQLite databases with the demo seeded, built once per date (and with or without the demo
    province); tests get copies."""
    from bot.demo import seed_demo
    from db import migrate
    from db.session import Database

    built: dict[tuple[date, bool], Path] = {}

    def for_date(day: date, province: bool = False) -> Path:
        if (day, province) not in built:
            path = tmp_path_factory.mktemp("demo") / "baocao.sqlite3"
            url = f"sqlite:///{path.as_posix()}"
            migrate.upgrade(url)
            db = Database(url)
            with use_clock(StartedClock(local_instant(day, 10))), db.session() as s:
                seed_demo(s, day, province=province)
            db.dispose()  # the last connection's close checkpoints the WAL into the main file
            assert not path.with_name(path.name + "-wal").exists()
            built[(day, province)] = path
        return built[(day, province)]

    return for_date


@pytest.fixture
def demo_db_file(_demo_db_files, today) -> Path:
    return _demo_db_files(today)


def _app_on_copy(settings, db_file):
    import shutil

    from bot.app import build

    settings.ensure_dirs()
    shutil.copyfile(db_file, settings.data_dir / "baocao.sqlite3")
    return build(settings)


@pytest.fixture
def demo_app(settings, demo_db_file):
    """(db, engine) on a fresh copy of the demo database (the demo commune alone: its questions index only its
    own approved reports)."""
    db, engine = _app_on_copy(settings, demo_db_file)
    yield db, engine
    db.dispose()


@pytest.fixture
def province_app(settings, _demo_db_files, today):
    """(db, engine) on a fresh copy of the full demo: the demo commune inside the demo province of 30 communes."""
    db, engine = _app_on_copy(settings, _demo_db_files(today, province=True))
    yield db, engine
    db.dispose()


class ChatDriver:
    """Talks to the engine the way the console does and keeps the replies' text."""

    def __init__(self, engine, user: str):
        from bot.channels.console import ConsoleChat

        self.chat = ConsoleChat(engine, user, out=io.StringIO(), json_mode=True)

    def send(self, text: str):
        return self.chat.send(text)

    def say(self, text: str) -> str:
        return "\n".join(r.text for r in self.send(text))


@pytest.fixture
def officer_chat(demo_app):
    return lambda user="can_bo": ChatDriver(demo_app[1], user)


@pytest.fixture(autouse=True)
def _fake_embedder(request, monkeypatch):
    """Fast tests embed with the deterministic fake; the real e5 loads only in tests marked slow."""
    if request.node.get_closest_marker("slow"):
        return
    from retrieval import embeddings, library
    from tests.fakes.embedder import FakeEmbedder

    def no_real_model(self):
        raise AssertionError("a fast test tried to load the real embedding model; mark it slow")

    monkeypatch.setattr(library, "make_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(embeddings.E5Embedder, "model", property(no_real_model))


@pytest.fixture
def province_chat(province_app):
    return lambda user="tong_hop": ChatDriver(province_app[1], user)


@pytest.fixture(scope="session")
def library_vectors(tmp_path_factory) -> Path:
    """A vector cache holding the bundled library's and the demo reports' passages, embedded once per session
    (real e5, for the slow tests); tests copy it into their data dir, so indexing there embeds only what a
    test adds."""
    from bot.demo import seed_demo
    from db import migrate
    from db.session import Database
    from retrieval.embeddings import E5Embedder
    from retrieval.library import Librarian

    d = tmp_path_factory.mktemp("library") / "data"
    s = Settings(_env_file=None, data_dir=d)
    s.ensure_dirs()
    migrate.upgrade(s.db_url)
    db = Database(s.db_url)
    with use_clock(StartedClock(local_instant(DEMO_TODAY, 10))), db.session() as ss:
        seed_demo(ss, DEMO_TODAY, province=False)
    db.dispose()
    lib = Librarian(s, E5Embedder())
    lib.sync()
    lib.close()
    return d / "vector_cache.sqlite3"


@pytest.fixture
def library(request, settings):
    """The bundled library indexed in this test's data dir on real Chroma: with the fake embedder, or in a
    slow test with real e5 (vectors from the session's cache)."""
    import shutil

    from db import migrate
    from retrieval.library import get_library

    settings.ensure_dirs()
    if request.node.get_closest_marker("slow"):
        shutil.copyfile(request.getfixturevalue("library_vectors"), settings.data_dir / "vector_cache.sqlite3")
    migrate.upgrade(settings.db_url)
    lib = get_library(settings)
    lib.ensure_indexed()
    yield lib
    lib.close()


@pytest.fixture
def fake_tg():
    """A fake Telegram Bot API on 127.0.0.1 (tests/fakes/telegram_api.py); its address is `fake_tg.url`."""
    from tests.fakes.harness import TG_TOKEN
    from tests.fakes.server import ServerThread
    from tests.fakes.telegram_api import FakeTelegram

    fake = FakeTelegram(TG_TOKEN)
    with ServerThread(fake.app) as srv:
        fake.url = srv.url
        yield fake


@pytest.fixture
def fake_zalo():
    """A fake Zalo Bot API on 127.0.0.1 (tests/fakes/zalo_api.py); its address is `fake_zalo.url`."""
    from tests.fakes.harness import ZALO_TOKEN
    from tests.fakes.server import ServerThread
    from tests.fakes.zalo_api import FakeZalo

    fake = FakeZalo(ZALO_TOKEN)
    with ServerThread(fake.app) as srv:
        fake.url = srv.url
        yield fake
