"""The table, msgid → Vietnamese, one module per catalogue it comes from. A plural message
has one Vietnamese form (nplurals=1), written with the plural msgid's placeholders."""

from tools.admin_vi.messages import (
    admin,
    core,
    django_forms,
    documents,
    images,
    javascript,
    snippets,
    users,
)

TRANSLATIONS: dict[str, str] = {
    **django_forms.MESSAGES,
    **core.MESSAGES,
    **admin.MESSAGES,
    **images.MESSAGES,
    **documents.MESSAGES,
    **snippets.MESSAGES,
    **users.MESSAGES,
    **javascript.MESSAGES,
}
