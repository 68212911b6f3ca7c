"""The optional language model (an OpenAI-compatible endpoint set in .env): never required, never trusted with a
number. Callers check what it returns in code and fall back to doing without it."""
from __future__ import annotations

import logging

from common.settings import Settings
from common.vntext import fold

log = logging.getLogger(__name__)

_RESTORE = ("Thêm dấu tiếng Việt cho đoạn văn sau. Giữ nguyên từng chữ, từng số, từng dấu câu và xuống dòng; chỉ "
            "thêm dấu thanh và dấu chữ. Chỉ trả lời bằng đoạn văn đã thêm dấu.")


def configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url)


def chat_model(settings: Settings):
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    return ChatOpenAI(base_url=settings.llm_base_url, api_key=key, model=settings.llm_model or "default",
                      timeout=settings.llm_timeout_seconds, max_retries=0, temperature=0)


def restore_diacritics(settings: Settings, text: str, model=None) -> str | None:
    """`text` with its accents restored by the model, accepted only if it is the same text letter for letter and
    number for number once accents are removed; None otherwise (or when no model is configured)."""
    if model is None and not configured(settings):
        return None
    try:
        reply = (model or chat_model(settings)).invoke([("system", _RESTORE), ("human", text)])
        restored = str(reply.content).strip()
    except Exception:
        log.warning("accent restoration by the LLM failed", exc_info=True)
        return None
    if fold(restored) != fold(text) or restored == text:
        log.info("accent restoration rejected: the model changed more than accents")
        return None
    return restored
