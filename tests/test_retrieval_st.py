"""The sentence-transformers backend on a tiny BERT built here (config + a tokenizer trained on a few
Vietnamese lines): it loads from a local directory with no download, and the library indexes through it.

Needs the optional extra (`pip install -e '.[dev,st]'`, which scripts/bootstrap installs); CI must run it.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

pytestmark = pytest.mark.slow

LINES = [
    "Công an xã làm sạch dữ liệu dân cư bảo đảm đúng, đủ, sạch, sống.",
    "Chỉ thị 04/CT-TTg về tiếp tục đẩy mạnh triển khai Đề án 06.",
    "Cấp thẻ Căn cước công dân và kích hoạt tài khoản định danh điện tử mức độ 2.",
    "Tuyên truyền cho người dân về 25 dịch vụ công thiết yếu.",
    "Sổ hộ khẩu, sổ tạm trú hết giá trị sử dụng sau ngày 31/12/2022.",
]


def _require_extra():
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must install the [st] extra (scripts/bootstrap does)")
        pytest.skip("sentence-transformers extra not installed")


@pytest.fixture
def tiny_bert(tmp_path, monkeypatch):
    _require_extra()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # any attempt to download fails loudly
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(LINES, trainers.WordPieceTrainer(
        vocab_size=300, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    d = tmp_path / "tiny-bert"
    BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                      sep_token="[SEP]", mask_token="[MASK]").save_pretrained(d)
    cfg = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512)
    BertModel(cfg).save_pretrained(d)
    return d


def test_local_model_loads_and_embeds_without_download(tiny_bert):
    from retrieval.embeddings import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(str(tiny_bert))
    docs = emb.embed_batch(LINES)
    q = emb.embed_batch(["làm sạch dữ liệu dân cư"], query=True)[0]
    assert docs.shape == (5, 32) and q.shape == (32,)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(docs[0], docs[1])  # passages are told apart


def test_library_indexes_and_answers_through_the_backend(tiny_bert, settings):
    from db import migrate
    from retrieval.library import Librarian

    st = settings.model_copy(update={"embedding_backend": "sentence-transformers", "embedding_model": str(tiny_bert)})
    st.ensure_dirs()
    migrate.upgrade(st.db_url)
    lib = Librarian(st)
    r = lib.ensure_indexed()
    assert r.added >= 25 and r.embedded == r.added
    ans = lib.ask("công văn 452 là gì?")  # the reference filter works whatever the model
    assert ans.citations[0].so_hieu == "452/TTg-KSTT"
    lib.close()


def test_missing_model_dir_is_a_clear_error(tmp_path):
    from common.errors import InvalidInput
    from retrieval.embeddings import SentenceTransformerEmbedder

    with pytest.raises(InvalidInput, match="EMBEDDING_MODEL"):
        SentenceTransformerEmbedder(str(tmp_path / "nope"))
