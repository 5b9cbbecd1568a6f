"""Build ocop_site/locale/vi/LC_MESSAGES/django.po and .mo: Vietnamese for the Wagtail admin strings
that cooperative editors and province staff meet every day (Wagtail 8 ships few in vi).

Run `.venv/bin/python tools/admin_vi.py` after upgrading Wagtail or editing the table.
Message ids (and their contexts) are taken from Wagtail's own French catalogues, so only
strings Wagtail really uses are written. Both files are committed: no gettext at deploy.
"""

import array
import gettext
import glob
import struct
from pathlib import Path

import wagtail

TRANSLATIONS = {
    "Search": "Tìm kiếm",
    "Pages": "Trang",
    "Images": "Hình ảnh",
    "Documents": "Tài liệu",
    "Reports": "Báo cáo",
    "Help": "Trợ giúp",
    "Settings": "Cài đặt",
    "Dashboard": "Bảng điều khiển",
    "Account": "Tài khoản",
    "Log out": "Đăng xuất",
    "Sign in": "Đăng nhập",
    "Content": "Nội dung",
    "Promote": "Quảng bá",
    "Save draft": "Lưu nháp",
    "Submit for moderation": "Gửi duyệt",
    "Submit to %(workflow_name)s": "Gửi duyệt: %(workflow_name)s",
    "Publish": "Xuất bản",
    "Unpublish": "Ngừng xuất bản",
    "Preview": "Xem trước",
    "Add child page": "Thêm trang con",
    "Edit": "Sửa",
    "Delete": "Xoá",
    "History": "Lịch sử",
    "Live": "Đang hiển thị",
    "Draft": "Bản nháp",
    "Status": "Trạng thái",
    "Add": "Thêm",
    "Save": "Lưu",
    "Move": "Di chuyển",
    "Copy": "Sao chép",
    "Add an image": "Thêm ảnh",
    "Choose an image": "Chọn ảnh",
    "Choose another image": "Chọn ảnh khác",
    "Upload": "Tải lên",
    "Title": "Tiêu đề",
    "Collection": "Bộ sưu tập",
    "Tags": "Thẻ",
    "The page title as you'd like it to be seen by the public": (
        "Tiêu đề trang như bạn muốn người xem thấy"
    ),
    "Workflow": "Quy trình duyệt",
    "Approve": "Duyệt",
    "Request changes": "Yêu cầu sửa",
    "Resubmit to %(task_name)s": "Gửi lại cho %(task_name)s",
    "Your most recent edits": "Các chỉnh sửa gần đây",
    "Awaiting your review": "Chờ bạn duyệt",
    "Snippets": "Danh mục dữ liệu",
    "Users": "Người dùng",
    "Groups": "Nhóm",
    "Collections": "Bộ sưu tập",
    "Workflows": "Quy trình duyệt",
    "Sorry, you do not have permission to access this area.": (
        "Xin lỗi, bạn không có quyền truy cập phần này."
    ),
    "Page '%(page_title)s' has been submitted for moderation.": (
        "Trang '%(page_title)s' đã được gửi duyệt."
    ),
    "Page '%(page_title)s' has been updated.": "Đã lưu trang '%(page_title)s'.",
    "Page '%(page_title)s' has been published.": "Đã xuất bản trang '%(page_title)s'.",
    "Image '%(image_title)s' added.": "Đã thêm ảnh '%(image_title)s'.",
    "The image could not be created due to errors.": "Chưa thêm được ảnh vì có lỗi.",
    "Not a supported image format. Supported formats: %(supported_formats)s.": (
        "Định dạng ảnh không được hỗ trợ. Chỉ nhận: %(supported_formats)s."
    ),
    "This file is too big (%(file_size)s). Maximum filesize %(max_filesize)s.": (
        "Tệp quá lớn (%(file_size)s). Tối đa %(max_filesize)s."
    ),
    "This file has too many pixels (%(num_pixels)s). Maximum pixels %(max_pixels_count)s.": (
        "Ảnh có quá nhiều điểm ảnh (%(num_pixels)s). Tối đa %(max_pixels_count)s."
    ),
}


def wagtail_message_keys() -> set[str]:
    """Every msgid Wagtail translates, as gettext keys ("context\x04msgid" when in a context)."""
    keys: set[str] = set()
    pattern = str(Path(wagtail.__file__).parent / "**" / "locale" / "fr" / "LC_MESSAGES" / "*.mo")
    for path in glob.glob(pattern, recursive=True):
        with open(path, "rb") as handle:
            # `_catalog` is private, so typeshed leaves it out; vars() reaches it all the same.
            catalog = vars(gettext.GNUTranslations(handle))["_catalog"]
            keys.update(k for k in catalog if isinstance(k, str))
    return keys


def catalogue(translations: dict[str, str]) -> dict[str, str]:
    keys = wagtail_message_keys()
    found = {}
    for msgid, text in translations.items():
        for key in keys:
            if key == msgid or key.endswith("\x04" + msgid):
                found[key] = text
    return found


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_po(path: Path, entries: dict[str, str]) -> None:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for key, text in sorted(entries.items()):
        context, _, msgid = key.rpartition("\x04")
        if context:
            lines.append(f"msgctxt {_po_quote(context)}")
        lines += [f"msgid {_po_quote(msgid)}", f"msgstr {_po_quote(text)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_mo(path: Path, entries: dict[str, str]) -> None:
    """GNU .mo format, as CPython's Tools/i18n/msgfmt.py writes it."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **entries}
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), entries[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    start = 7 * 4 + len(keys) * 16
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + start]
        voffsets += [l2, o2 + start + len(ids)]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + len(keys) * 8, 0, 0)
    path.write_bytes(header + array.array("i", koffsets + voffsets).tobytes() + ids + strs)


def main() -> None:
    folder = Path(__file__).resolve().parent.parent / "ocop_site" / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    entries = catalogue(TRANSLATIONS)
    missing = set(TRANSLATIONS) - {key.rpartition("\x04")[2] for key in entries}
    write_po(folder / "django.po", entries)
    write_mo(folder / "django.mo", entries)
    print(f"{len(entries)} messages written; not used by this Wagtail: {sorted(missing)}")


if __name__ == "__main__":
    main()
