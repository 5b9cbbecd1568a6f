"""Starting texts of the pages a selling website must publish (catalogue/models/legal.py),
written for province staff to review and complete; setup_site adds the ones missing."""

from wagtail.models import Page

from catalogue.models import InfoPage

PRIVACY_SLUG = "chinh-sach-bao-mat"
REVIEW = "<p><em>Nội dung mẫu: cán bộ OCOP tỉnh rà soát và sửa cho đúng với tỉnh mình.</em></p>"

PAGES = [
    (
        "dieu-khoan-chung",
        "Điều khoản chung",
        "<p>Gian hàng này do đơn vị vận hành ghi ở cuối trang lập ra để giới thiệu sản phẩm "
        "OCOP của tỉnh. Mỗi sản phẩm do chính chủ thể OCOP (hợp tác xã, doanh nghiệp, hộ kinh "
        "doanh) bán và giao; tên, địa chỉ và số điện thoại của người bán có ở trang của chủ "
        "thể và trang sản phẩm.</p>"
        "<p>Giá niêm yết bằng đồng Việt Nam. Phí vận chuyển được tính và hiện rõ trước khi "
        "bạn đặt hàng. Đơn hàng được xác nhận bằng số đơn hiện trên màn hình và gửi qua "
        "email nếu bạn để lại email.</p>"
        "<p>Thanh toán: tiền mặt khi nhận hàng, chuyển khoản ngân hàng hoặc thẻ quốc tế. "
        "Mọi thắc mắc hoặc khiếu nại, hãy liên hệ người bán hoặc đơn vị vận hành.</p>",
    ),
    (
        "chinh-sach-doi-tra",
        "Chính sách đổi trả",
        "<p>Nếu hàng bị hư hỏng khi vận chuyển, sai loại hoặc thiếu, hãy báo người bán trong "
        "7 ngày kể từ khi nhận, kèm ảnh chụp hàng và số đơn. Người bán đổi hàng hoặc hoàn "
        "tiền theo cách bạn đã thanh toán.</p>"
        "<p>Thực phẩm đã mở bao bì chỉ được đổi trả khi có lỗi của người bán.</p>",
    ),
    (
        "chinh-sach-van-chuyen",
        "Chính sách vận chuyển",
        "<p>Mỗi chủ thể OCOP tự đóng gói và gửi phần hàng của mình, nên một đơn có thể đến "
        "thành nhiều kiện. Phí vận chuyển tính theo khối lượng và tỉnh nhận, hiện ở bước "
        "xác nhận đơn.</p>"
        "<p>Thời gian giao thường từ 2 đến 5 ngày làm việc, tuỳ nơi nhận.</p>",
    ),
    (
        PRIVACY_SLUG,
        "Chính sách bảo mật thông tin cá nhân",
        "<p>Khi đặt hàng, bạn cho chúng tôi họ tên, số điện thoại, địa chỉ nhận hàng và "
        "(nếu muốn) email. Các thông tin này chỉ dùng để giao đơn và liên hệ về đơn; chúng "
        "được chuyển cho người bán và đơn vị vận chuyển của đơn đó, không cho ai khác.</p>"
        "<p>Trang web không dùng công cụ theo dõi hay phông chữ của bên thứ ba.</p>"
        "<p>Theo Nghị định 13/2023/NĐ-CP và Luật Bảo vệ dữ liệu cá nhân, bạn có quyền xem, "
        "sửa và yêu cầu xoá dữ liệu của mình: hãy liên hệ đơn vị vận hành ở cuối trang.</p>",
    ),
]


def ensure_legal_pages(home: Page) -> None:
    """Add each page whose slug is not yet under home (staff may retitle or edit them)."""
    existing = set(home.get_children().values_list("slug", flat=True))
    for slug, title, body in PAGES:
        if slug not in existing:
            page = InfoPage(title=title, slug=slug, body=REVIEW + body)
            home.add_child(instance=page)
            page.save_revision().publish()
