"""The engine's database work per figure message: a fixed number of statements, whatever the unit's history."""
import pytest
from sqlalchemy import event

from bench.bench_engine import _script, _setup
from bot.messages import Incoming

CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")
BUDGET = 12  # statements per figure update, besides transaction control (issue 15)


def _statements_per_message(engine) -> list[int]:
    seen: list[str] = []
    event.listen(engine.db.engine, "before_cursor_execute", lambda conn, cur, stmt, *a: seen.append(stmt))
    counts = []
    for n, msg in enumerate(_script(0) + _script(1)):
        before = len(seen)
        engine.handle(Incoming("console", "cb", "cb", msg, update_id=f"u{n}"))
        counts.append(sum(not s.lstrip().upper().startswith(CONTROL) for s in seen[before:]))
    # the first message opens the report; then new figures, then changed ones held and replaced ("thay")
    return counts[1:]


@pytest.mark.parametrize("history", [0, 52])
def test_a_figure_message_stays_within_the_statement_budget(db_url, tmp_path, history):
    engine = _setup(db_url, history, tmp_path)
    counts = _statements_per_message(engine)
    engine.db.dispose()
    assert max(counts) <= BUDGET, counts
