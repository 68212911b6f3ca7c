"""A fuzz corpus for the parser (issue 13: ≥ 2,000 messages, the reported cases among them, 0 tracebacks): real
report lines, officer messages and hostile numbers, mutated deterministically. Every message parses; what comes
out is storable or explained."""
import json
import math
import random
import unicodedata

import pytest

from figures.parse import parse_correction, parse_message
from figures.quick_form import read_form
from figures.report_reader import read_report
from knowledge.catalogue import load_catalogue
from tests.parse_cases import load_cases
from tests.seed_lines import load_lines

pytestmark = pytest.mark.slow  # ~10 s of CPU; CI runs it (scripts/test runs slow tests too)

CAT = load_catalogue()
ISSUE_13 = ["CCCD " + "9" * 309, "CCCD " + "1" * 5000, "CCCD 1e20", "CCCD 3 tỷ", "CCCD 1_000", "CCCD 10^100",
            "CCCD 1..2", "CCCD 3\u200b5", "CCCD .33", "CMND 9 số 33/0", "/baocao tháng 10/9999", "tháng 02/0001",
            "năm 0000", "quý 5/2024", "tháng 13/2024", "ngày 32/13/2024", "tuần từ 30/2 đến 7/3", "CCCD -5",
            "CCCD 1e-5", "CCCD 0x1F", "CCCD ١٢٣", "CCCD １２", "CCCD 2²", "CCCD ½", "CCCD ∞", "CCCD NaN", "CCCD 1,,,,",
            "định danh 12/15/9", "sửa cấp mới thành 3 tỷ", "cccd" + " 1" * 2000, "(" * 500 + "CCCD 5" + ")" * 500]
JUNK = ["\u200b", "\u00a0", "\ufeff", "\u0300", "🙂", "%", "/", ":", "(", ")", "\n", "\t", "0", "9" * 40, "..", "_",
        "^", "e5", "-", "tỷ", "nghìn", " năm 9999", " tháng 13/2024", " ngày 32/13/2024", "đ", "Ð", "\r\n", "còn",
        "còn lại", "trong đó", "lũy kế", "x/", "/0", "1.2.3.4", ",", ";", "?", "+ ", "\n- ", "\n1. "]


def _mutate(rnd: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.random()
        at = rnd.randint(0, len(chars))
        if op < 0.5:
            chars[at:at] = list(rnd.choice(JUNK))
        elif op < 0.7 and chars:
            del chars[at:at + rnd.randint(1, 8)]
        elif op < 0.85:
            chars[at:at] = chars[max(0, at - 20):at]
        else:
            chars = list(unicodedata.normalize(rnd.choice(["NFD", "NFKC"]), "".join(chars)))
    return "".join(chars)


def corpus() -> list[str]:
    _, lines = load_lines()
    base = [c.text for c in load_cases()] + [line.text for line in lines] + ISSUE_13
    rnd = random.Random(13)
    out = list(base)
    while len(out) < 2500:
        out.append(_mutate(rnd, rnd.choice(base)))
    return out


CORPUS = corpus()


def test_corpus_is_large_and_holds_the_reported_cases():
    assert len(CORPUS) >= 2000
    assert all(case in CORPUS for case in ISSUE_13)


def _check(text: str) -> None:
    res = parse_message(text)
    nfc = unicodedata.normalize("NFC", text)
    json.dumps(res.as_json(), ensure_ascii=False, allow_nan=False)
    for f in res.figures:
        assert f.span is not None and nfc[f.span[0]:f.span[1]] == f.text
        assert math.isfinite(f.value) and f.value >= 0
        assert f.value <= CAT.limit(f.indicator)  # the most lenient limit: nothing implausible comes out
        assert f.denominator is None or (math.isfinite(f.denominator) and (f.denominator > 0 or f.value == 0))
    assert all(p.message for p in res.problems)
    parse_correction(text)


@pytest.mark.parametrize("chunk", range(5))
def test_every_message_parses_and_what_comes_out_is_storable(chunk):
    for text in CORPUS[chunk::5]:
        try:
            _check(text)
        except AssertionError:
            raise
        except Exception as e:  # noqa: BLE001  # a traceback here is the bug this test exists for
            pytest.fail(f"{type(e).__name__}: {e} on {text[:120]!r}")


def test_whole_reports_and_forms_made_of_the_corpus_read_without_error():
    rnd = random.Random(5)
    for _ in range(30):
        text = "\n".join(rnd.sample(CORPUS, 40))
        reading = read_report(text)
        json.dumps(reading.as_json(), ensure_ascii=False, allow_nan=False)
        got = read_form(text, CAT, CAT.template("tuan"))
        assert len(got.values) + len(got.blank) + len(got.unread) <= len(text.splitlines())
