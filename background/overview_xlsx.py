"""One overview table as an XLSX file (openpyxl, already used for the orders export):
Vietnamese headers, counts and money as numbers (money shown as 1.234.567 ₫ in a
Vietnamese Excel), dates as dates, nothing as an empty cell."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from background.overview import COUNT, DATE, MONEY, Table

FORMATS = {COUNT: "#,##0", MONEY: '#,##0 "₫"', DATE: "dd/mm/yyyy"}
SHEET_TITLE_MAX = 31  # Excel's limit


def workbook(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = table.title[:SHEET_TITLE_MAX]
    sheet.append([column.title for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(list(row))
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    for index, column in enumerate(table.columns, start=1):
        longest = max([len(column.title), *(len(str(row[index - 1])) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
