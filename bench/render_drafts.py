"""Render drafts of the four seed-like report kinds to DOCX → PDF (LibreOffice headless) → PNG (pdftoppm),
to look at them next to the seed reports (shared/seeds beside the repository).

    seed 000  review: sơ kết 02 năm, xã Hoằng Trung (TTHC, 25 DVC table, clean-up and enrichment data)
    seed 001  yearly: năm 2022, thành phố Ngã Bảy
    seed 002  weekly: tuần 17/8 - 23/8/2023, thành phố Ngã Bảy, with a prior week for comparisons
    seed 003  review: 01 năm thực hiện Công văn 452/TTg-KSTT, phường Giếng Đáy (digitisation figures)

Figures are the seeds' numbers; the narrative parts are short placeholder texts of our own; each draft follows a
report structure shaped like its seed's (built-in structures from knowledge/templates/mau/, or an outline here).
Needs `soffice` (Debian: libreoffice-writer-nogui) and `pdftoppm` (poppler-utils).

Run: .venv/bin/python bench/render_drafts.py [OUT_DIR]   (default: data/renders)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from drafting.inputs import DraftInput  # noqa: E402
from drafting.render import render  # noqa: E402
from drafting.structure import PRESETS_DIR  # noqa: E402


def _preset(stem: str) -> str:
    return (PRESETS_DIR / f"{stem}.txt").read_text(encoding="utf-8")


def _f(ind: str, value: float, den: float | None = None, **extra) -> dict:
    return {"indicator": ind, "value": value, **({"denominator": den} if den is not None else {}), **extra}


def _services(**pairs: tuple[float, float]) -> list[dict]:
    return [f for sid, (got, online) in pairs.items()
            for f in (_f(f"dvc.{sid}.tiep_nhan", got), _f(f"dvc.{sid}.truc_tuyen", online))]


NARRATIVE = {
    "chi_dao": "Tổ công tác Đề án 06 tiếp tục chỉ đạo các thôn triển khai các nhiệm vụ được giao.",
    "ton_tai": "Lực lượng thực hiện còn kiêm nhiệm; thiết bị đọc mã QR còn thiếu.",
    "nhiem_vu": "Tiếp tục thu nhận hồ sơ CCCD, định danh điện tử và làm sạch dữ liệu dân cư.",
    "kien_nghi": "Đề nghị cấp trên hỗ trợ thêm máy tính và thiết bị đọc mã QR cho Công an cấp xã.",
}

SEED_000 = {
    "unit": {"name": "xã Hoằng Trung", "level": "xa", "parent_name": "huyện Hoằng Hóa", "place": "Hoằng Trung"},
    "period": {"kind": "dot_xuat", "start": "2022-01-06", "end": "2023-12-01"}, "report_date": "2023-12-01",
    "subject": "Kết quả sơ kết 02 năm thực hiện Đề án 06/CP",
    "request": "Công văn số 3529/UBND-CA ngày 30/11/2023 của UBND huyện Hoằng Hóa về việc xây dựng báo cáo sơ kết "
               "02 năm thực hiện Đề án 06/CP",
    "figures": [
        _f("chi_dao.kiem_tra", 32), _f("tuyen_truyen.tin_bai", 8), _f("tuyen_truyen.khau_hieu", 18),
        _f("to_cong_tac.thon_thanh_lap", 7, 7), _f("cccd.thu_nhan_luy_ke", 4652),
        _f("dinh_danh.kich_hoat_muc_1", 224), _f("dinh_danh.kich_hoat_muc_2", 2564),
        _f("tthc.tiep_nhan", 2291), _f("tthc.tiep_nhan_truc_tuyen", 1124), _f("tthc.tiep_nhan_truc_tiep", 1118),
        _f("tthc.tiep_nhan_buu_chinh", 49), _f("tthc.ky_truoc_chuyen_sang", 0),
        _f("tthc.da_giai_quyet", 2291), _f("tthc.dung_han", 2289),
        _f("tthc.qua_han", 2, note="hồ sơ đã trả trong ngày nhưng chưa cập nhật trên phần mềm"),
        *_services(thuong_tru=(455, 455), tam_tru=(67, 67), tam_vang=(6, 6), khai_sinh=(175, 175), khai_tu=(68, 66),
                   ket_hon=(18, 18), lien_thong_khai_sinh=(38, 38), lien_thong_khai_tu=(9, 9),
                   bien_dong_dat_dai=(366, 251)),
        _f("lam_sach.huy_so_dinh_danh", 15, 15), _f("lam_sach.cmnd_9_so", 165, 165), _f("lam_sach.xoa_trung", 23, 23),
        _f("lam_sach.chu_ho", 15, 15), _f("lam_sach.bo_sung_thong_tin", 256, 256),
        _f("lam_sach.bhxh_khu_cong_nghiep", 3, 3),
        _f("lam_giau.nguoi_co_cong", 186), _f("lam_giau.an_sinh_xa_hoi", 14), _f("lam_giau.nguoi_cao_tuoi", 1083),
        _f("lam_giau.hoi_nong_dan", 399), _f("lam_giau.cuu_chien_binh", 208), _f("lam_giau.nguoi_lao_dong", 603),
        _f("lam_giau.ho_tich", 1622), _f("kcb.cccd_luot", 317),
    ],
    "narrative": NARRATIVE, "structure": _preset("so_ket"),
    "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lê Văn Tý"},
    "recipients": ["TCT Đề án 06 huyện (qua Đội QLHC)", "Lưu: VP UBND, CAX"],
}

SEED_001 = {
    "unit": {"name": "thành phố Ngã Bảy", "level": "huyen", "parent_name": "tỉnh Hậu Giang", "place": "Ngã Bảy"},
    "period": {"kind": "nam", "start": "2022-01-01", "end": "2022-12-31"}, "report_date": "2022-12-19",
    "request": "Công văn số 1848/TCTTKĐA06-CAT ngày 15 tháng 12 năm 2022 của Tổ công tác triển khai Đề án 06 "
               "UBND tỉnh Hậu Giang về việc báo cáo tổng kết công tác triển khai thực hiện Đề án 06",
    "figures": [
        _f("chi_dao.van_ban", 8), _f("tuyen_truyen.luot_nguoi", 5272),
        _f("dvc.thuong_tru.tiep_nhan", 13), _f("dvc.thuong_tru.da_tra_ket_qua", 3),
        _f("dvc.thuong_tru.chua_tra_ket_qua", 1), _f("dvc.thuong_tru.chua_phan_loai", 9),
        _f("dvc.tam_tru.tiep_nhan", 1), _f("dvc.tam_tru.da_tra_ket_qua", 1), _f("dvc.luu_tru.tiep_nhan", 557),
        _f("dvc.xac_nhan_cmnd.tiep_nhan", 0), _f("lam_sach.bhxh_khu_cong_nghiep", 176, 176),
    ],
    "narrative": NARRATIVE, "structure": _preset("so_ket"),
    "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn A"},
    "recipients": ["Tổ công tác Đề án 06 tỉnh", "Công an tỉnh", "Lưu: VT, NCTH"],
}

SEED_002 = {
    "unit": {"name": "thành phố Ngã Bảy", "level": "huyen", "parent_name": "tỉnh Hậu Giang", "place": "Ngã Bảy"},
    "period": {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"}, "report_date": "2023-08-24",
    "request": "Công văn số 877/TCT-CAT ngày 02 tháng 6 năm 2023 của Tổ công tác triển khai Đề án 06 tỉnh Hậu "
               "Giang về việc báo cáo định kỳ kết quả triển khai thực hiện Đề án 06/CP của Thủ tướng Chính phủ",
    "figures": [
        _f("tuyen_truyen.luot_nguoi", 714), _f("cccd.thu_nhan", 60), _f("cccd.cap_moi", 33), _f("cccd.cap_doi", 11),
        _f("cccd.cap_lai", 16), _f("dinh_danh.ho_so", 654),
        _f("dvc.thuong_tru.tiep_nhan", 106), _f("dvc.thuong_tru.truc_tuyen", 97),
        _f("dvc.thuong_tru.da_tra_ket_qua", 48), _f("dvc.thuong_tru.chua_tra_ket_qua", 20),
        _f("dvc.thuong_tru.xac_minh", 7), _f("dvc.thuong_tru.khong_du_dieu_kien", 0),
        _f("dvc.thuong_tru.chua_phan_loai", 31), _f("dvc.tam_tru.tiep_nhan", 6), _f("dvc.tam_tru.truc_tuyen", 6),
        _f("dvc.luu_tru.tiep_nhan", 212), _f("dvc.xac_nhan_cu_tru.tiep_nhan", 42),
        _f("lam_sach.cmnd_9_so", 4, 4), _f("lam_sach.sai_lech_cccd", 8, 16), _f("lam_sach.chu_ho", 0, 0),
        _f("lam_sach.bo_sung_thong_tin", 5, 5), _f("lam_sach.bhxh_khu_cong_nghiep", 273, 273),
        _f("lam_sach.quan_he_thuong_tru", 223, 223), _f("lam_sach.quan_he_tam_tru", 16, 16),
        _f("lam_giau.hoi_nong_dan", 1389), _f("lam_giau.nguoi_cao_tuoi", 2456), _f("lam_giau.nguoi_co_cong", 271),
        _f("lam_giau.cuu_chien_binh", 144),
    ],
    "history": [
        {"period": {"kind": "tuan", "start": s, "end": e},
         "figures": [_f("cccd.thu_nhan", c), _f("dinh_danh.ho_so", d), _f("dvc.thuong_tru.tiep_nhan", t),
                     _f("lam_giau.hoi_nong_dan", n), _f("lam_giau.nguoi_cao_tuoi", a)]}
        for s, e, c, d, t, n, a in [("2023-08-10", "2023-08-16", 55, 610, 98, 1380, 2450),
                                    ("2023-08-03", "2023-08-09", 71, 580, 120, 1371, 2441),
                                    ("2023-07-27", "2023-08-02", 64, 702, 87, 1365, 2430)]],
    "narrative": {**NARRATIVE, "tien_do_chi_dao": "Tiếp tục thực hiện các văn bản chỉ đạo của cấp trên.",
                  "mo_hinh": "Tiếp tục duy trì mô hình điểm về dịch vụ công trực tuyến."},
    "structure": _preset("tuan_xa"),
    "signer": {"authority": "", "title": "PHÓ CHỦ TỊCH", "name": "Bùi Việt Hà"},
    "recipients": ["Văn phòng UBND tỉnh", "Công an tỉnh", "Thành viên BCĐ, TCT Đề án 06 thành phố",
                   "UBND các xã, phường", "Lưu: VT, NCTH"],
}

SEED_003 = {
    "unit": {"name": "phường Giếng Đáy", "level": "xa", "parent_name": "thành phố Hạ Long", "place": "Giếng Đáy"},
    "period": {"kind": "dot_xuat", "start": "2023-04-01", "end": "2024-04-10"}, "report_date": "2024-04-12",
    "subject": "Tình hình, kết quả 01 năm thực hiện chỉ đạo của Thủ tướng Chính phủ về việc tháo gỡ "
               "“điểm nghẽn” trong triển khai Đề án 06",
    "request": "Văn bản số 2628/UBND-VP ngày 10/4/2024 của Ủy ban nhân dân thành phố Hạ Long về việc báo cáo "
               "sơ kết 01 năm thực hiện Công văn số 452/TTg-KSTT",
    "figures": [_f("so_hoa.ho_so_dau_vao", 12648, 13176), _f("so_hoa.ket_qua", 101, 101),
                _f("tthc.tiep_nhan", 13303), _f("tthc.da_giai_quyet", 13274)],
    "narrative": {**NARRATIVE, "chi_dao": ""},
    "structure": "I. Đánh giá các mặt công tác\n1. Về công tác tham mưu, chỉ đạo triển khai | hỏi\n"
                 "2. Về thực hiện dịch vụ công trực tuyến | số liệu: TTHC | dịch vụ công\n"
                 "II. Khó khăn, vướng mắc\n1. Tồn tại, khó khăn, vướng mắc | hỏi\n"
                 "III. Kiến nghị, đề xuất | hỏi\nIV. Phương hướng trong thời gian tới | hỏi",
    "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "PHÓ CHỦ TỊCH", "name": "Phạm Xuân Trường"},
    "recipients": ["UBND thành phố (b/c)", "Lưu: VT"],
}

KINDS = {"000-so-ket-2-nam": SEED_000, "001-nam-2022": SEED_001, "002-tuan": SEED_002, "003-so-ket-452": SEED_003}


def main(out_dir: Path) -> None:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install libreoffice-writer-nogui poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in KINDS.items():
        result = render(DraftInput.from_json(data), out_dir / f"{name}.docx")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(result.path)],
                       check=True, capture_output=True, timeout=180)
        pdf = result.path.with_suffix(".pdf")
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out_dir / name)], check=True, timeout=120)
        pages = sorted(out_dir.glob(f"{name}-*.png"))
        print(f"{name}: {result.path.name}, {len(pages)} page(s); warnings: {result.warnings or 'none'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "data" / "renders")
