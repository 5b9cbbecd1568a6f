"""Vietnamese for every admin screen that producers, helpers and province staff meet:
Wagtail's own strings (it ships about 135 in vi), its JavaScript strings and Django's
form messages, whose Vietnamese is poor ("Nhập một số tổng thể.").

The table is in messages/; `.venv/bin/python -m tools.admin_vi` rebuilds
ocop_site/locale/vi/LC_MESSAGES/django.po|.mo and djangojs.po|.mo (all committed: no
gettext at deploy). Rerun it after upgrading Wagtail or Django, or editing the table."""
