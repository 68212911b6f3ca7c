import pytest
from pydantic import ValidationError

from common.settings import Settings, get_settings


def test_defaults_need_no_server(data_dir):
    s = get_settings()
    assert s.db_url == f"sqlite:///{(data_dir / 'baocao.sqlite3').as_posix()}"
    assert s.chroma_url == ""
    assert s.chroma_dir == data_dir / "chroma"
    assert s.embedding_backend == "e5"
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.telegram_bot_token is None and s.zalo_bot_token is None


def test_environment_overrides(data_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:abcdefghijklmnop")
    monkeypatch.setenv("EMBEDDING_BACKEND", "Sentence-Transformers")
    s = Settings(_env_file=None)
    assert s.db_url == "postgresql+psycopg://u@h/db"
    assert s.telegram_bot_token.get_secret_value() == "123456:abcdefghijklmnop"
    assert "abcdefghijklmnop" not in repr(s)  # secrets never print
    assert s.embedding_backend == "sentence-transformers"


def test_reads_dotenv_file(data_dir, tmp_path):
    env = tmp_path / ".env"
    env.write_text("ZALO_BOT_TOKEN=999:zzz\nLOG_LEVEL=DEBUG\n", encoding="utf-8")
    s = Settings(_env_file=env)
    assert s.zalo_bot_token.get_secret_value() == "999:zzz"
    assert s.log_level == "DEBUG"


def test_unknown_embedding_backend_is_rejected(data_dir, monkeypatch):
    monkeypatch.setenv("EMBEDDING_BACKEND", "openai")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_env_example_lists_every_setting():
    from tests.conftest import REPO

    text = (REPO / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in text, name
