"""Vietnamese texts reused across flows."""

HELP = """Trợ lý báo cáo Đề án 06 — các lệnh:
/baocao — mở hoặc tiếp tục báo cáo kỳ này
/tiendo — xem số liệu đã nhập và còn thiếu
/kiemtra — xem các điểm cần kiểm tra lại
/duthao — tạo dự thảo báo cáo (DOCX)
/phienban — các phiên bản dự thảo
/trinh — trình lãnh đạo duyệt
/duyet — (lãnh đạo) duyệt báo cáo
/tralai — (lãnh đạo) trả lại báo cáo kèm lý do
/molai — (lãnh đạo) mở lại báo cáo đã duyệt để sửa
/hoi — hỏi văn bản chỉ đạo (ví dụ: /hoi Chỉ thị 04 yêu cầu gì?)
/huy — hủy thao tác đang làm
/moi — (quản trị) tạo mã mời cán bộ
/thanhvien — (quản trị) xem, thu hồi thành viên
/lienket — liên kết thêm tài khoản Telegram/Zalo
/roidonvi — rời đơn vị
/tonghop — (tỉnh) tình hình báo cáo và số liệu tổng hợp của các xã
/donvi — (tỉnh) xem báo cáo của một xã, ví dụ: /donvi Hòa An
/xuat — xuất bảng số liệu (Excel; /xuat csv)
/nhacnho — bật, tắt nhắc hạn nộp báo cáo
Có thể gõ số liệu như nói chuyện, ví dụ: "cấp CCCD 60, mới 33, đổi 11, lại 16"."""

COMMANDS = [
    ("start", "Bắt đầu / tham gia đơn vị bằng mã mời"),
    ("baocao", "Mở hoặc tiếp tục báo cáo kỳ này"),
    ("tiendo", "Xem số liệu đã nhập và còn thiếu"),
    ("kiemtra", "Xem các điểm cần kiểm tra lại"),
    ("duthao", "Tạo dự thảo báo cáo (DOCX)"),
    ("trinh", "Trình lãnh đạo duyệt"),
    ("duyet", "Lãnh đạo duyệt báo cáo"),
    ("tralai", "Lãnh đạo trả lại báo cáo"),
    ("phienban", "Các phiên bản dự thảo"),
    ("hoi", "Hỏi về văn bản chỉ đạo"),
    ("tonghop", "Tỉnh: tình hình báo cáo và số liệu tổng hợp"),
    ("xuat", "Xuất bảng số liệu (Excel)"),
    ("huy", "Hủy thao tác đang làm"),
    ("help", "Hướng dẫn sử dụng"),
]
