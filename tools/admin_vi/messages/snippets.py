"""Wagtail's snippets."""

MESSAGES = {
    "Wagtail snippets": "Dữ liệu Wagtail",
    "Delete selected snippets": "Xoá các mục đã chọn",
    "%(count)d %(model_name)s deleted.": "Đã xoá %(count)d %(model_name)s.",
    "Delete %(snippet_type_name)s": "Xoá %(snippet_type_name)s",
    "Delete ": "Xoá ",
    "Are you sure you want to delete this %(snippet_type_name)s?": "Bạn có chắc muốn xoá %(snippet_type_name)s này?",
    "Are you sure you want to delete %(count)s %(snippet_type_name)s?": "Bạn có chắc muốn xoá %(count)s %(snippet_type_name)s?",
    "You don't have permission to delete this %(snippet_type_name)s": "Bạn không có quyền xoá %(snippet_type_name)s này",
    "You don't have permission to delete these %(snippet_plural_name)s": "Bạn không có quyền xoá các %(snippet_plural_name)s này",
    'Sorry, no snippets match "<em>%(search_query)s</em>"': 'Xin lỗi, không có mục nào khớp "<em>%(search_query)s</em>"',
    'You haven\'t created any %(snippet_type_name)s snippets. Why not <a href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">create one now</a>?': 'Bạn chưa tạo %(snippet_type_name)s nào. <a href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">Tạo một mục ngay</a>?',
    "Replace current revision": "Thay phiên bản hiện tại",
    "Select all snippets in listing": "Chọn mọi mục trong danh sách",
    "Snippets": "Danh mục dữ liệu",
    "Instances": "Các mục",
    "Choose %(object)s": "Chọn %(object)s",
    "Choose another %(object)s": "Chọn %(object)s khác",
}
