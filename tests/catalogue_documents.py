"""Two small provincial decisions that publish procedures (a list as a pipe table, and a
label-value form), shared by the catalogue's reading and serving tests."""

from __future__ import annotations

from motcua.ingest.catalogue import ProcedureRecord, catalogue_records
from motcua.ingest.metadata import extract_metadata
from motcua.ingest.signature_block import split_signature_block

# A provincial decision publishing a list of four procedures, as a markdown pipe table.
LIST_DECISION = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH

Số: 1234/QĐ-UBND

Hà Tĩnh, ngày 15 tháng 8 năm 2025

QUYẾT ĐỊNH
Về việc công bố danh mục thủ tục hành chính lĩnh vực giáo dục và đào tạo thực hiện trên địa \
bàn tỉnh Hà Tĩnh

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH

Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;

Theo đề nghị của Giám đốc Sở Giáo dục và Đào tạo.

QUYẾT ĐỊNH:

Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính lĩnh vực giáo dục và đào \
tạo thực hiện trên địa bàn tỉnh Hà Tĩnh (chi tiết tại Phụ lục kèm theo).

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Giáo dục và Đào tạo và các tổ chức, cá nhân có \
liên quan chịu trách nhiệm thi hành Quyết định này./.

PHỤ LỤC

DANH MỤC THỦ TỤC HÀNH CHÍNH LĨNH VỰC GIÁO DỤC VÀ ĐÀO TẠO
(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Hà Tĩnh)

| STT | Mã thủ tục | Tên thủ tục hành chính | Cấp thực hiện | Thời hạn giải quyết | Phí, lệ phí \
| Địa điểm thực hiện | Mức độ DVC trực tuyến | Căn cứ pháp lý |
|---|---|---|---|---|---|---|---|---|
| I | LĨNH VỰC GIÁO DỤC TRUNG HỌC | | | | | | | |
| 1 | 2.002481 | Chuyển trường đối với học sinh trung học cơ sở | Cấp xã | 02 ngày làm việc \
kể từ ngày nhận đủ hồ sơ | Không | Trường trung học cơ sở nơi học sinh chuyển đến | Toàn trình \
| Quyết định số 51/2002/QĐ-BGDĐT; Thông tư số 50/2021/TT-BGDĐT |
| 2 | 1.006390 | Xét tuyển sinh vào trường phổ thông dân tộc nội trú | Cấp tỉnh | 10 ngày \
làm việc | Không | Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh | Một phần | Thông tư số \
04/2023/TT-BGDĐT |
| II | LĨNH VỰC VĂN BẰNG, CHỨNG CHỈ | | | | | | | |
| 3 | 1.010020 | Cấp bản sao văn bằng, chứng chỉ từ sổ gốc cấp bản sao | Cấp tỉnh | Trong ngày \
làm việc | 3.000 đồng/bản sao | Sở Giáo dục và Đào tạo tỉnh Hà Tĩnh | Toàn trình | Nghị định số \
23/2015/NĐ-CP |
| 4 | 1.005092 | Phúc khảo bài thi tốt nghiệp trung học phổ thông | Cấp tỉnh | 15 ngày kể từ \
ngày hết hạn nhận đơn | Không | Trường trung học phổ thông nơi thí sinh dự thi | Một phần | Thông \
tư số 24/2024/TT-BGDĐT |
"""

# A decision publishing one procedure as a label/value form.
FORM_DECISION = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ

Số: 567/QĐ-UBND

Quảng Trị, ngày 02 tháng 10 năm 2025

QUYẾT ĐỊNH
Về việc công bố thủ tục hành chính mới ban hành lĩnh vực giáo dục dân tộc thuộc phạm vi quản \
lý của Sở Giáo dục và Đào tạo tỉnh Quảng Trị

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ

Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;

QUYẾT ĐỊNH:

Điều 1. Công bố kèm theo Quyết định này thủ tục hành chính mới ban hành lĩnh vực giáo dục dân tộc.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

PHỤ LỤC

NỘI DUNG CỤ THỂ CỦA THỦ TỤC HÀNH CHÍNH

| Tên thủ tục | Xét cấp học bổng chính sách cho học sinh trường phổ thông dân tộc bán trú |
|---|---|
| Mã thủ tục | 1.008950 |
| Lĩnh vực | Giáo dục dân tộc |
| Cấp thực hiện | Cấp xã |
| Cách thức thực hiện | Nộp trực tiếp hoặc qua dịch vụ bưu chính công ích |
| Cơ quan thực hiện | Ủy ban nhân dân cấp xã nơi học sinh cư trú |
| Thời hạn giải quyết | 20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ |
| Phí, lệ phí | Không |
| Thành phần hồ sơ | Đơn đề nghị cấp học bổng; bản sao giấy khai sinh |
| Căn cứ pháp lý | Nghị định số 66/2025/NĐ-CP ngày 12/3/2025 của Chính phủ |
"""

LIST_ID = "qd-1234-ha-tinh"
FORM_ID = "qd-567-quang-tri"
THCS_CARD = "tthc-chuyen-truong-thcs"
COPY_CARD = "tthc-ban-sao-van-bang"


def records_of(doc_id: str, text: str) -> list[ProcedureRecord]:
    body, _tail = split_signature_block(text)
    return catalogue_records(doc_id, body, extract_metadata(text))
