"""CSV downloads: cells a spreadsheet will not run as formulas."""

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_response(filename: str, header, rows) -> Response:
    """A CSV attachment named `filename` (ASCII, no quotes)."""
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
