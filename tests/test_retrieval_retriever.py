"""The hybrid search as a LangChain retriever: same results as the search, composable in a chain."""
from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnablePassthrough


def test_retriever_returns_the_hybrid_search_as_documents(library):
    retriever = library.retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    question = "Chỉ thị 04 yêu cầu gì về kiểm tra, đôn đốc?"
    docs = retriever.invoke(question)
    hits = library.index.search(question, k=3)
    assert [d.id for d in docs] == [h.id for h in hits]
    assert docs[0].metadata["so_hieu"] == "04/CT-TTg" and docs[0].page_content == hits[0].text
    assert docs[0].metadata["score"] == hits[0].score


def test_retriever_composes_with_a_prompt_and_a_chat_model(library):
    def passages(docs: list[Document]) -> str:
        return "\n".join(f"[{d.metadata['so_hieu']}] {d.page_content}" for d in docs)

    seen: list[str] = []
    prompt = ChatPromptTemplate.from_messages([("human", "Đoạn trích:\n{context}\n\nCâu hỏi: {question}")])
    chain = ({"context": library.retriever(k=2) | passages, "question": RunnablePassthrough()} | prompt
             | (lambda p: seen.append(p.to_string()) or p)
             | FakeListChatModel(responses=["Công văn 452 yêu cầu tháo gỡ điểm nghẽn [452/TTg-KSTT]."])
             | StrOutputParser())
    assert chain.invoke("công văn 452 là gì?").endswith("[452/TTg-KSTT].")
    assert "[452/TTg-KSTT]" in seen[0] and "Câu hỏi: công văn 452 là gì?" in seen[0]
