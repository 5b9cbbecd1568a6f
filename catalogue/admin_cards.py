"""Columns for Wagtail listings that turn into cards below 600 px (class "phone-cards" on
the table, catalogue/static/catalogue/admin_phone.css). A card has no header row, so each
of these cells names itself there; wide screens never see the name."""

from wagtail.admin.ui.tables import BooleanColumn, Column


class CardColumn(Column):
    cell_template_name = "catalogue/admin/card_cell.html"


class CardBooleanColumn(BooleanColumn):
    cell_template_name = "catalogue/admin/card_boolean_cell.html"
