"""The answer stage on given hits (no index): whole enumerations, the asked level first, "not in the library"
instead of an unrelated quote, replaced texts named with their replacement, the governing-document line."""
from __future__ import annotations

import pytest

from common.settings import Settings
from retrieval.answer import HOW_TO_ADD, compose
from retrieval.excerpt import best_sentences, cut, enumeration, split_sentences
from retrieval.search import Hit
from retrieval.sources import profile_docs, records

TITLES = ["Quyết định 06/QĐ-TTg", "Chỉ thị 04/CT-TTg"]
FIVE = ("Đề án 06 tổ chức các ứng dụng theo năm nhóm tiện ích: (1) giải quyết thủ tục hành chính; (2) phát "
        "triển kinh tế - xã hội; (3) phát triển công dân số; (4) hoàn thiện hệ sinh thái dữ liệu dân cư; (5) phục "
        "vụ chỉ đạo, điều hành của lãnh đạo các cấp.")


def passages() -> dict[tuple[str, str], tuple[str, dict]]:
    out = {}
    for doc in profile_docs():
        for r in records(doc):
            out.setdefault((r.meta["so_hieu"], r.meta["section"]), (r.text[r.meta["body_start"]:], r.meta))
    return out


PASSAGES = passages()


def hits(*keys: tuple[str, str], dense: float = 0.9) -> list[Hit]:
    """Hits for (so_hieu, section heading prefix), best first, as search would return them."""
    out = []
    for i, (so_hieu, heading) in enumerate(keys):
        (text, meta), = [v for (sh, sec), v in PASSAGES.items() if sh == so_hieu and sec.startswith(heading)]
        out.append(Hit(f"h{i}", text, meta, 0.033 - 0.001 * i, dense))
    return out


def answer(question: str, found: list[Hit], refs: list[str] = ()):
    return compose(Settings(_env_file=None), question, found, list(refs), TITLES)


def ask(question: str, found: list[Hit], refs: list[str] = ()) -> str:
    return answer(question, found, refs).answer


# --- quoting ---------------------------------------------------------------------------------------------

def test_semicolon_before_a_number_or_capital_does_not_end_a_sentence():
    assert split_sentences(FIVE) == [FIVE]
    assert split_sentences("Gồm: đăng ký thường trú; Đăng ký tạm trú. Hết.") == [
        "Gồm: đăng ký thường trú; Đăng ký tạm trú.", "Hết."]


def test_lower_case_d_and_a_with_accents_do_not_start_a_sentence():
    text = "Năm 2022 đạt 90 %. đăng ký thường trú tăng. ăn khớp với kế hoạch. Tháng sau tiếp tục."
    assert split_sentences(text) == ["Năm 2022 đạt 90 %. đăng ký thường trú tăng. ăn khớp với kế hoạch.",
                                     "Tháng sau tiếp tục."]


def test_enumeration_is_quoted_whole():
    assert len(enumeration(FIVE)[1]) == 5
    quote = best_sentences("5 nhóm tiện ích gồm những gì?", "Mở đầu dài dòng về đề án. " + FIVE)
    assert all(f"({i})" in quote for i in range(1, 6))


def test_long_enumeration_is_cut_between_items_and_says_how_many_are_left():
    text = "Danh mục gồm: " + "; ".join(f"dịch vụ số {i} có tên khá dài để vượt giới hạn" for i in range(40)) + "."
    quote = cut(text, 300)
    assert quote.endswith("mục)") and "… (còn " in quote
    left = int(quote.rsplit("(còn ", 1)[1].split()[0])
    assert quote.count("dịch vụ số") + left == 40


def test_list_question_quotes_the_five_groups():
    text = ask("05 nhóm tiện ích của Đề án 06 gồm những gì?", hits(("06/QĐ-TTg", "05 nhóm tiện ích")))
    for group in ("(1) giải quyết", "(2) phát triển kinh tế", "(3) phát triển công dân số", "(4) hoàn thiện",
                  "(5) phục vụ chỉ đạo"):
        assert group in text


def test_the_eleven_services_are_quoted_in_full():
    text = ask("Bộ Công an có những dịch vụ công thiết yếu nào?",
               hits(("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 11")))
    for service in ("xác nhận số Chứng minh nhân dân", "thông báo lưu trú", "phạt nguội", "hộ chiếu phổ thông",
                    "dấu nổi, dấu xi"):
        assert service in text


# --- level ------------------------------------------------------------------------------------------------

def test_commune_question_gets_the_commune_passage_labelled_as_local_practice():
    found = hits(("06/QĐ-TTg", "Tổ chức thực hiện"), ("06/QĐ-TTg", "Thực tiễn địa phương - Tổ công tác"))
    text = ask("Tổ công tác cấp xã do ai làm tổ trưởng?", found)
    first = text.split("\n\n")[0]
    assert first.startswith("Từ báo cáo của các địa phương (không phải nội dung của Quyết định số 06/QĐ-TTg")
    assert "Chủ tịch UBND xã làm tổ trưởng" in text
    assert "Bộ trưởng Bộ Công an" not in first


def test_directive_04_question_about_communes_quotes_the_commune_section():
    found = hits(("04/CT-TTg", "Yêu cầu đối với bộ trưởng"), ("04/CT-TTg", "Xử lý nhiệm vụ"),
                 ("04/CT-TTg", "Nhiệm vụ cụ thể của UBND cấp xã"))
    text = ask("Chỉ thị 04 yêu cầu xã làm gì?", found, refs=["04/CT-TTg"])
    assert "mục \"Nhiệm vụ cụ thể của UBND cấp xã, Công an cấp xã\"" in text.split("\n\n")[0]


def test_question_without_a_level_keeps_the_best_passage():
    found = hits(("06/QĐ-TTg", "Tổ chức thực hiện"), ("06/QĐ-TTg", "Thực tiễn địa phương - Tổ công tác"))
    assert "Tổ chức thực hiện" in ask("tổ công tác triển khai đề án do ai làm tổ trưởng?", found).split("\n\n")[0]


def test_guidance_from_before_two_levels_says_the_huyen_is_gone():
    found = hits(("06/QĐ-TTg", "Chỉ tiêu năm 2022 - xác thực"))
    text = ask("chỉ tiêu năm 2022 về xác thực tài khoản trên cổng dịch vụ công cấp huyện là gì?", found)
    assert "cấp huyện" in text and "Lưu ý: văn bản trích ở trên ban hành trước ngày 01/07/2025" in text
    assert "72/2025/QH15" in text


# --- out of scope -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "BHXH tự nguyện đóng mức thấp nhất là bao nhiêu?",
    "Làm hộ chiếu phổ thông cần những giấy tờ gì?",  # the library names the service, not its papers
    "Mức phạt không đăng ký tạm trú là bao nhiêu?",
])
def test_question_the_library_cannot_answer_gets_no_quote(question):
    found = hits(("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 11"), ("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 14"),
                 dense=0.86)
    ans = answer(question, found)
    assert not ans.found and ans.citations == [] and "Theo " not in ans.answer
    assert ans.answer.startswith("Thư viện chưa có văn bản/nội dung nào trả lời câu hỏi") and HOW_TO_ADD in ans.answer


@pytest.mark.parametrize("question", [
    "Mức trợ cấp mai táng phí hiện nay là bao nhiêu?",  # the passage names the benefit, states no sum
    "tro cap that nghiep duoc huong bao nhieu phan tram tien luong?",
    "Cấp điện mới từ lưới điện hạ áp mất bao nhiêu tiền?",
])
def test_amount_question_is_refused_by_a_passage_that_only_names_the_benefit(question):
    ans = answer(question, hits(("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 14"), dense=0.9))
    assert not ans.found and ans.citations == []
    assert ans.answer.startswith("Thư viện chưa có văn bản/nội dung nào trả lời câu hỏi") and HOW_TO_ADD in ans.answer


def test_count_question_is_answered_by_the_passage_stating_the_count():
    found = hits(("72/2025/QH15", "Văn bản ban hành trước"))
    text = ask("Cả nước có bao nhiêu Công an cấp xã?", found)
    assert text.startswith("Theo Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/06/2025")
    assert 'mục "Văn bản ban hành trước 01/7/2025 còn nhắc cấp huyện"' in text and "3.319 Công an cấp xã" in text


def test_question_words_do_not_drown_the_topic():
    # "căn cứ nghị định nào", "qua mạng thì": grammar, not a topic the passage must hold
    text = ask("Làm thủ tục hành chính qua mạng thì căn cứ nghị định nào?",
               hits(("45/2020/NĐ-CP", "Thủ tục hành chính trên môi trường điện tử"), dense=0.9))
    assert text.startswith("Theo Nghị định số 45/2020/NĐ-CP ngày 08/04/2020 của Chính phủ (mục \"Thủ tục hành chính")


@pytest.mark.parametrize("question", ["Thủ tướng ký quyết định duyệt Đề án 06 vào ngày nào?",
                                      "de an 06 ban hanh ngay nao?"])
def test_date_of_a_document_named_by_its_name_comes_from_its_profile(question):
    text = ask(question, hits(("06/QĐ-TTg", "Mục tiêu tổng quát"), ("06/QĐ-TTg", "05 nhóm tiện ích")))
    assert text.startswith("Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án")


@pytest.mark.parametrize("question,missing", [
    ("công văn 877/TCT-CAT là gì?", "877/TCT-CAT"),
    ("Nghị định 30/2020 quy định thể thức văn bản thế nào?", "Nghị định 30/2020"),
    ("Luật Đất đai quy định cấp giấy chứng nhận thế nào?", "Luật Đất đai"),
])
def test_document_not_in_the_library_is_said_so(question, missing):
    found = hits(("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 14"), ("01/2023/TT-VPCP", "Số hóa"))
    text = ask(question, found)
    assert text.startswith(f"Thư viện chưa có văn bản này: {missing}.")
    assert "/tailen" in text and "baocao index add" in text and "Theo " not in text


def test_known_and_unknown_documents_together():
    found = hits(("04/CT-TTg", "Xử lý nhiệm vụ"))
    text = ask("Chỉ thị 04 và công văn 877/TCT-CAT yêu cầu xử lý nhiệm vụ chậm thế nào?", found, refs=["04/CT-TTg"])
    assert text.startswith("Theo Chỉ thị số 04/CT-TTg") and text.endswith("Thư viện chưa có văn bản: 877/TCT-CAT.")


# --- replaced texts and the governing-document line ---------------------------------------------------------

def test_current_decree_first_and_the_replaced_one_named_as_replaced():
    found = hits(("59/2022/NĐ-CP", "Tài khoản định danh điện tử mức độ 1"),
                 ("69/2024/NĐ-CP", "Tài khoản định danh điện tử mức độ 1"))
    text = ask("tài khoản định danh điện tử mức độ 2 đăng ký ở đâu?", found)
    assert text.startswith("Theo Nghị định số 69/2024/NĐ-CP")
    assert ("Lưu ý: Nghị định số 59/2022/NĐ-CP ngày 05/09/2022 của Chính phủ đã được thay thế bởi Nghị định số "
            "69/2024/NĐ-CP ngày 25/06/2024 của Chính phủ từ ngày 01/07/2024.") in text


def test_named_replaced_decree_is_answered_with_its_replacement():
    found = hits(("59/2022/NĐ-CP", "Tài khoản"), ("59/2022/NĐ-CP", "Hết hiệu lực"))
    text = ask("Nghị định 59/2022/NĐ-CP còn hiệu lực không?", found, refs=["59/2022/NĐ-CP"])
    assert "đã được thay thế bởi Nghị định số 69/2024/NĐ-CP" in text.split("\n\n")[0]


def test_validity_question_states_the_dates():
    text = ask("nghị định 09/2019 có hiệu lực từ khi nào?", hits(("09/2019/NĐ-CP", "Phạm vi")),
               refs=["09/2019/NĐ-CP"])
    assert text.startswith("Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo")
    assert "Có hiệu lực từ ngày 12/03/2019." in text


def test_governing_line_lists_only_documents_whose_passage_holds_the_task():
    found = hits(("452/TTg-KSTT", "Nội dung chính"), ("05/CT-TTg", "Phạm vi"))
    text = ask("tháo gỡ điểm nghẽn trong triển khai đề án 06 theo văn bản nào?", found)
    assert text.endswith("Văn bản điều chỉnh: Công văn số 452/TTg-KSTT ngày 23/05/2023 của Thủ tướng Chính phủ.")


def test_no_governing_line_for_a_question_about_can_cuoc():
    found = hits(("26/2023/QH15", "Thẻ căn cước"), ("06/QĐ-TTg", "Chỉ tiêu năm 2022 - dữ liệu"))
    assert "Văn bản điều chỉnh" not in ask("thẻ căn cước thay thẻ căn cước công dân từ khi nào?", found)


def test_local_practice_never_becomes_the_governing_document():
    found = hits(("06/QĐ-TTg", "Thực tiễn địa phương - dữ liệu"))
    text = ask("dữ liệu đúng, đủ, sạch, sống là yêu cầu của văn bản nào?", found)
    assert text.startswith("Từ báo cáo của các địa phương") and "Văn bản điều chỉnh" not in text


def test_count_in_the_question_picks_the_passage_with_that_count():
    found = hits(("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 11"), ("06/QĐ-TTg", "25 dịch vụ công thiết yếu - 14"))
    text = ask("14 dịch vụ công thiết yếu của các bộ, ngành khác gồm những gì?", found)
    assert "mục \"25 dịch vụ công thiết yếu - 14 dịch vụ" in text.split("\n\n")[0]
    assert all(s in text for s in ("cấp phiếu lý lịch tư pháp", "trợ cấp thất nghiệp", "mua bán điện"))


def test_what_a_document_is_comes_from_its_own_content_before_local_practice():
    found = hits(("452/TTg-KSTT", "Thực tiễn địa phương"), ("452/TTg-KSTT", "Nội dung chính"))
    text = ask("công văn 452 là gì?", found, refs=["452/TTg-KSTT"])
    assert text.startswith("Công văn số 452/TTg-KSTT ngày 23/05/2023 của Thủ tướng Chính phủ về tháo gỡ")
    assert "Theo Công văn số 452/TTg-KSTT" in text.split("\n\n")[1] and "mục \"Nội dung chính" in text


def test_last_month_question_prefers_the_latest_monthly_report():
    def report(title: str, day: str, score: float) -> Hit:
        meta = {"provenance": "bao_cao", "title": title, "date": day, "section": "1. Công tác tuyên truyền",
                "doc_key": title}
        return Hit(title, "Tuyên truyền Đề án 06 cho 300 lượt người dân tại nhà văn hóa thôn.", meta, score, 0.9)

    found = [report("Báo cáo tuần 16/11 - 22/11/2026 của xã Hòa An", "2026-11-22", 0.033),
             report("Báo cáo tháng 08/2026 của xã Hòa An", "2026-08-15", 0.032),
             report("Báo cáo tháng 10/2026 của xã Hòa An", "2026-10-15", 0.031)]
    ans = answer("tháng trước mình báo cáo phần tuyên truyền thế nào?", found)
    assert ans.citations[0].title == "Báo cáo tháng 10/2026 của xã Hòa An"
    ans = answer("tuần trước mình báo cáo phần tuyên truyền thế nào?", found)
    assert ans.citations[0].title.startswith("Báo cáo tuần 16/11")
