"""Optional LLM phrasing through langchain's ChatOpenAI, against a local OpenAI-compatible stub server."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retrieval.library import Librarian


class _Stub(BaseHTTPRequestHandler):
    reply = ""
    delay = 0.0
    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        time.sleep(type(self).delay)
        out = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": type(self).reply}}],
                          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        except BrokenPipeError:
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_library(library, settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Stub.requests, _Stub.delay = [], 0.0
    llm_settings = settings.model_copy(update={"llm_base_url": f"http://127.0.0.1:{server.server_port}/v1",
                                               "llm_model": "stub", "llm_timeout_seconds": 1.0})
    lib = Librarian(llm_settings)
    yield lib
    lib.close()
    server.shutdown()


QUESTION = "Công văn 452 yêu cầu gì?"


def test_llm_answer_used_when_it_cites_retrieved_documents(llm_library):
    _Stub.reply = "Công văn yêu cầu tháo gỡ điểm nghẽn về thể chế, hạ tầng, dữ liệu [452/TTg-KSTT]."
    ans = llm_library.ask(QUESTION)
    assert ans.by_llm and ans.answer.startswith(_Stub.reply)
    assert "Nguồn: Công văn số 452/TTg-KSTT" in ans.answer
    prompt = json.dumps(_Stub.requests[-1], ensure_ascii=False)
    assert "452/TTg-KSTT" in prompt and ans.citations[0].excerpt[:40] in prompt  # only retrieved passages


def test_llm_citing_an_unretrieved_document_is_rejected(llm_library):
    _Stub.reply = "Theo Quyết định 999/QĐ-TTg, cấp xã phải báo cáo hằng ngày [999/QĐ-TTg]."
    ans = llm_library.ask(QUESTION)
    assert not ans.by_llm and "999" not in ans.answer
    assert ans.answer.startswith("Theo Công văn số 452/TTg-KSTT")


def test_llm_timeout_falls_back_to_extractive(llm_library):
    _Stub.reply, _Stub.delay = "[452/TTg-KSTT] chậm.", 10.0  # the client gives up after 1 s
    t = time.perf_counter()
    ans = llm_library.ask(QUESTION)
    assert time.perf_counter() - t < 8.0
    assert not ans.by_llm and ans.answer.startswith("Theo Công văn số 452/TTg-KSTT")
