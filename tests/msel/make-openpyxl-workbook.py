"""Writes regional-exercise-openpyxl.xlsx from examples/msel/regional-exercise.csv with openpyxl,
a writer other than ttx's own, the way a planner's Excel sheet holds the values: numbers as
numbers, clock times as Excel times, day-and-clock times as Excel date-times (the base scenario
starts 2026-10-05 07:00 UTC), a title row above the header, everything else as text.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install openpyxl==3.1.5
    /tmp/v/bin/python tests/msel/make-openpyxl-workbook.py

tests/msel_sheets.rs checks that this workbook imports exactly as the CSV does; the workbooks
LibreOffice makes from the same CSV (.ods and .xlsx) are written by make-libreoffice-workbooks.sh.
"""
import csv, datetime, pathlib, re
from openpyxl import Workbook

root = pathlib.Path(__file__).resolve().parents[2]
rows = list(csv.reader(open(root / "examples/msel/regional-exercise.csv", encoding="utf-8")))
start = datetime.date(2026, 10, 5)
wb = Workbook()
ws = wb.active
ws.title = "Exercise MSEL"
ws.append(["Regional exercise — Master Scenario Events List (draft 3)"])
ws.append(rows[0])
for row in rows[1:]:
    out = []
    for name, value in zip(rows[0], row):
        if name in ("Number", "Severity") and value.isdigit():
            out.append(int(value))
        elif name == "Time" and re.fullmatch(r"\d\d:\d\d", value):
            out.append(datetime.time(int(value[:2]), int(value[3:])))
        elif name == "Time" and (m := re.fullmatch(r"D\+(\d+) (\d\d):(\d\d)", value)):
            day = start + datetime.timedelta(days=int(m[1]))
            out.append(datetime.datetime(day.year, day.month, day.day, int(m[2]), int(m[3])))
        else:
            out.append(value if value != "" else None)
    ws.append(out)
for cell in ws["B"][2:]:
    if isinstance(cell.value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
notes = wb.create_sheet("Notes")
notes.append(["Planner's notes: not part of the MSEL"])
wb.save(root / "tests/msel/regional-exercise-openpyxl.xlsx")
