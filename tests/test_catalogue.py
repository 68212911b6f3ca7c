"""The indicator catalogue: required ids, sum rules, aliases, validation of the data file."""
from pathlib import Path

import pytest
import yaml

from common.errors import InvalidInput
from common.vntext import fold
from knowledge.catalogue import CATALOGUE_PATH, Catalogue, CatalogueFile, catalogue_for, load_catalogue, load_extensions
from knowledge.directives import load_library

SERVICES = ["thuong_tru", "tam_tru", "tam_vang", "luu_tru", "khai_sinh", "khai_tu", "ket_hon", "lien_thong_khai_sinh",
            "lien_thong_khai_tu", "xac_nhan_cu_tru", "xac_nhan_cmnd", "cap_doi_cccd", "bien_so_xe", "phat_nguoi",
            "ho_chieu", "ly_lich_tu_phap", "dang_ky_thue", "bien_dong_dat_dai", "giay_phep_lai_xe",
            "tro_cap_that_nghiep"]
STATUS_SERVICES = ["thuong_tru", "tam_tru", "luu_tru", "xac_nhan_cu_tru"]
STATUSES = ["da_tra_ket_qua", "chua_tra_ket_qua", "xac_minh", "khong_du_dieu_kien", "chua_phan_loai"]
REQUIRED = ["tuyen_truyen.luot_nguoi", "tuyen_truyen.tin_bai", "tuyen_truyen.loa", "tuyen_truyen.mang_xa_hoi", "tuyen_truyen.khau_hieu", "tuyen_truyen.hop", "chi_dao.van_ban", "chi_dao.kiem_tra", "cccd.thu_nhan", "cccd.cap_moi", "cccd.cap_doi", "cccd.cap_lai", "cccd.tra_the", "dinh_danh.ho_so", "dinh_danh.kich_hoat", "dinh_danh.kich_hoat_muc_1", "dinh_danh.kich_hoat_muc_2", "tthc.tiep_nhan", "tthc.tiep_nhan_truc_tuyen", "tthc.tiep_nhan_truc_tiep", "tthc.tiep_nhan_buu_chinh", "tthc.ky_truoc_chuyen_sang", "tthc.da_giai_quyet", "tthc.dung_han", "tthc.qua_han", "tthc.dang_giai_quyet", "so_hoa.ho_so_dau_vao", "so_hoa.ket_qua", "lam_sach.cmnd_9_so", "lam_sach.sai_lech_cccd", "lam_sach.chu_ho", "lam_sach.bo_sung_thong_tin", "lam_sach.xoa_trung", "lam_sach.huy_so_dinh_danh", "lam_sach.bhxh_khu_cong_nghiep", "lam_sach.quan_he_thuong_tru", "lam_sach.quan_he_tam_tru", "lam_giau.hoi_nong_dan", "lam_giau.nguoi_cao_tuoi", "lam_giau.cuu_chien_binh", "lam_giau.nguoi_co_cong", "lam_giau.an_sinh_xa_hoi", "lam_giau.nguoi_lao_dong", "lam_giau.ho_tich", "lam_giau.tre_em", "kcb.cccd_luot", "kcb.tong_luot", "thanh_toan.co_so_giao_duc", "an_sinh.chi_tra_tai_khoan", "to_cong_tac.thon_thanh_lap", "mo_hinh.so_mo_hinh"]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_every_required_indicator_exists(cat):
    required = REQUIRED + [f"dvc.{s}.{m}" for s in SERVICES for m in ("tiep_nhan", "truc_tuyen")]
    required += [f"dvc.{s}.{m}" for s in STATUS_SERVICES for m in STATUSES]
    assert [i for i in required if i not in cat] == []


def test_sum_rules_from_the_issue(cat):
    rules = dict(cat.sum_rules())
    assert rules["cccd.thu_nhan"] == ["cccd.cap_moi", "cccd.cap_doi", "cccd.cap_lai"]
    assert rules["dinh_danh.kich_hoat"] == ["dinh_danh.kich_hoat_muc_1", "dinh_danh.kich_hoat_muc_2"]
    assert rules["tthc.tiep_nhan"] == [
        "tthc.tiep_nhan_truc_tuyen", "tthc.tiep_nhan_truc_tiep", "tthc.tiep_nhan_buu_chinh"]
    assert rules["tthc.da_giai_quyet"] == ["tthc.dung_han", "tthc.qua_han"]
    for s in STATUS_SERVICES:
        assert rules[f"dvc.{s}.tiep_nhan"][:5] == [f"dvc.{s}.{m}" for m in STATUSES]
    # lưu trú is also counted as newly registered / accepted ("mới đăng ký 6, trả lại 1, được tiếp nhận 205")
    assert rules["dvc.luu_tru.tiep_nhan"][5:] == ["dvc.luu_tru.moi_dang_ky", "dvc.luu_tru.duoc_tiep_nhan"]
    assert "dvc.khai_sinh.tiep_nhan" not in rules
    assert cat.parent_of["cccd.cap_lai"] == "cccd.thu_nhan"


def test_online_dossiers_are_bounded_by_received(cat):
    for s in SERVICES:
        assert cat.get(f"dvc.{s}.truc_tuyen").at_most == f"dvc.{s}.tiep_nhan"


def test_kinds_units_and_pairs(cat):
    assert all(i.pair and i.unit == "trường hợp" for i in cat.in_section("lam_sach"))
    assert all(i.kind == "cumulative" for i in cat.in_section("lam_giau"))
    assert cat.get("tthc.dang_giai_quyet").kind == "stock"
    assert cat.get("cccd.thu_nhan").twin == "cccd.thu_nhan_luy_ke"
    assert {i.unit for i in cat.indicators.values()} <= set(cat.units)


def test_indicators_carry_utility_group_and_known_directives(cat):
    library = load_library()
    for ind in cat.indicators.values():
        assert ind.directives, ind.id
        assert all(library.get(d) for d in ind.directives), (ind.id, ind.directives)
        if ind.utility_group is not None:
            assert ind.utility_group in cat.utility_groups
    assert cat.get("cccd.thu_nhan").utility_group == 3
    assert cat.get("dvc.thuong_tru.tiep_nhan").utility_group == 1


def test_aliases_match_with_and_without_diacritics(cat):
    assert cat.lookup_alias("Căn cước công dân") == ["cccd.thu_nhan"]
    assert cat.lookup_alias("can cuoc cong dan") == ["cccd.thu_nhan"]
    assert cat.lookup_alias("ĐDĐT") == ["dinh_danh.ho_so"]
    assert cat.lookup_alias("DDDT") == ["dinh_danh.ho_so"]
    assert cat.lookup_alias("dvctt") == ["tthc.tiep_nhan_truc_tuyen"]
    assert cat.lookup_alias("trên cổng DVC đăng ký thường trú") == ["dvc.thuong_tru.truc_tuyen"]
    assert cat.lookup_alias("không có") == []


def test_no_alias_names_two_indicators(cat):
    """An alias naming two indicators could never be resolved; short ambiguous words go to context_aliases."""
    ambiguous = {a: ids for a, ids in cat.alias_index.items() if len(ids) > 1}
    assert ambiguous == {}


def test_templates_list_known_indicators(cat):
    for kind in ("tuan", "thang", "nam"):
        assert all(i in cat for i in cat.template(kind))
    assert cat.template("quy") == cat.template("default")


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    p = tmp_path / "indicators.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize("mutate, message", [
    (lambda raw: raw["indicators"][0].update(parts=["khong.ton_tai"]), "unknown indicators"),
    (lambda raw: raw["indicators"][0].update(unit="kg"), "unknown unit"),
    (lambda raw: raw["indicators"].append(dict(raw["indicators"][0])), "duplicate"),
    (lambda raw: raw["templates"].update(tuan=["khong.ton_tai"]), "template"),
    (lambda raw: raw["indicators"][0].update(kind="sometimes"), "kind"),
])
def test_invalid_catalogue_is_rejected(tmp_path, mutate, message):
    path = _write(tmp_path, mutate)
    with pytest.raises(ValueError, match=message):
        Catalogue(CatalogueFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_every_kind_of_figure_in_the_seeds_has_a_place(cat):
    kinds = ["uu_tien.nhom_1_ho_so", "uu_tien.nhom_5_tai_khoan", "dvc.luu_tru.moi_dang_ky", "dvc.luu_tru.duoc_tiep_nhan",
             "lam_sach.nhom_quan_ly", "dvc.con_dau_moi.tiep_nhan", "dvc.con_dau_thu_nho.truc_tuyen",
             "tuyen_truyen.hop", "tuyen_truyen.hop_thon", "tuyen_truyen.hop_thon_luot", "dvc.cap_cccd.truc_tuyen",
             "cccd.chua_cap", "lam_sach.cmnd_9_so_con_lai", "tthc.thu_tuc_thuc_hien", "ket_noi.don_vi"]
    assert [k for k in kinds if k not in cat] == []
    assert cat.get("uu_tien.nhom_1_ho_so").by_unit == {"tài khoản": "uu_tien.nhom_1_tai_khoan"}
    assert cat.get("tuyen_truyen.hop_thon").by_unit == {"lượt": "tuyen_truyen.hop_thon_luot"}


def test_a_remainder_knows_its_part_and_its_whole(cat):
    rest = cat.get("cccd.chua_cap")
    assert (rest.remainder_of, rest.whole, rest.kind) == ("cccd.thu_nhan_luy_ke", "cccd.trong_do_tuoi", "stock")
    pair_rest = cat.get("lam_sach.cmnd_9_so_con_lai")
    assert (pair_rest.remainder_of, pair_rest.whole, pair_rest.pair) == ("lam_sach.cmnd_9_so", None, True)
    assert cat.remainder_for("cccd.tra_the") == "cccd.the_ton"
    assert ("cccd.con_lai", "cccd.thu_nhan", "cccd.can_cap") in cat.remainder_rules()


def test_plausible_limits_come_from_data(cat):
    assert cat.limit("cccd.thu_nhan", "tuan") == 100_000
    assert cat.limit("cccd.thu_nhan", "nam") > cat.limit("cccd.thu_nhan", "thang") > cat.limit("cccd.thu_nhan", "tuan")
    assert cat.limit("cccd.thu_nhan", "tuan", "tinh") == 100 * cat.limit("cccd.thu_nhan", "tuan")
    assert cat.limit("to_cong_tac.thon_thanh_lap", "nam", "tinh") == 1000  # villages do not grow with the level
    assert cat.limit("khong.ton_tai") is None


def test_names_are_unique_so_a_form_line_reads_back(cat):
    names = [fold(i.name) for i in cat.indicators.values()]
    assert len(names) == len(set(names))


def test_a_unit_adds_its_own_indicators_without_code(tmp_path):
    path = tmp_path / "chi_tieu_rieng.yaml"
    path.write_text("- {name: Cấp CCCD cho học sinh, unit: hồ sơ, section: cccd_dinh_danh, parent: cccd.thu_nhan,\n"
                    "   aliases: [CCCD học sinh]}\n"
                    "- {name: Lớp tập huấn VNeID, unit: buổi, section: tuyen_truyen}\n", encoding="utf-8")
    cat = catalogue_for(load_extensions(path))
    ind = cat.get("rieng.cap_cccd_cho_hoc_sinh")
    assert (ind.unit, ind.section, ind.at_most, ind.kind) == ("hồ sơ", "cccd_dinh_danh", "cccd.thu_nhan", "flow")
    assert "rieng.lop_tap_huan_vneid" in cat
    assert "rieng.cap_cccd_cho_hoc_sinh" not in load_catalogue()  # the shared catalogue is untouched
    assert catalogue_for(load_extensions(path)) is cat  # cached: the parser's tables are built once per unit
    assert catalogue_for([]) is load_catalogue()


def test_unit_extensions_from_stored_rows_accept_new_units():
    cat = catalogue_for([{"name": "Hộ kinh doanh dùng thanh toán số", "unit": "hộ", "section": "tien_ich",
                          "code": "ho_kinh_doanh"}])
    assert cat.get("rieng.ho_kinh_doanh").unit == "hộ"


@pytest.mark.parametrize("row, message", [
    ({"name": "Chỉ tiêu lạ", "unit": "cái", "section": "khong_co"}, "không có mục"),
    ({"name": "Con số", "unit": "cái", "section": "tien_ich", "parent": "khong.ton_tai"}, "chỉ tiêu cha"),
    ({"name": "Thu nhận hồ sơ cấp CCCD", "unit": "hồ sơ", "section": "cccd_dinh_danh"}, "trùng"),
    ({"name": "x", "unit": "cái", "section": "tien_ich"}, "chưa hợp lệ"),
])
def test_a_bad_unit_extension_is_refused_in_vietnamese(row, message):
    with pytest.raises(InvalidInput, match=message):
        catalogue_for([row])


def test_a_units_own_indicator_is_in_every_template_and_said_without_so():
    cat = catalogue_for([{"name": "Số lượng hộ gia đình được tuyên truyền", "unit": "hộ", "section": "tuyen_truyen",
                          "aliases": ["hộ được tuyên truyền", "Số lượng hộ gia đình được tuyên truyền"]}])
    own = "rieng.so_luong_ho_gia_dinh_duoc_tuyen_truyen"
    assert all(own in cat.template(kind) for kind in ("tuan", "thang", "quy"))
    assert cat.indicators[own].aliases == ["hộ được tuyên truyền", "hộ gia đình được tuyên truyền"]
    assert cat.lookup_alias("ho gia dinh duoc tuyen truyen") == [own]
    assert own not in load_catalogue().template("tuan")
    # a short name that already names another indicator is not added ("lượt tuyên truyền" is the shared one's)
    assert catalogue_for([{"name": "Số lượt tuyên truyền", "unit": "lượt", "section": "tuyen_truyen"}]
                         ).indicators["rieng.so_luot_tuyen_truyen"].aliases == []


def test_data_files_read_the_same_with_the_fast_yaml_parser():
    """common.yamlfile (libyaml when available) gives what yaml.safe_load gives, for every data file."""
    from common.yamlfile import read_yaml

    paths = sorted(CATALOGUE_PATH.parent.rglob("*.yaml"))
    assert len(paths) > 10
    for path in paths:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path
