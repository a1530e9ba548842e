"""Reading bank statement CSV files into credit lines (pure: no database).

The format is recognised from the header row (the first row that names a date column and an
amount or credit column); rows above it (account number, period...) are skipped, and so are the
summary rows some banks append (opening/closing balance, totals). Separators `,` `;` or tab;
UTF-8 (with or without BOM) or Windows-1252. Only credits (money in) are returned; debits are
counted and dropped. A row that cannot be read is reported with its line number and why.

Formats (the column names are matched case-insensitively, after trimming):

- **generic** (`date,description,amount`): date `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY`;
  amount positive for a credit, negative (or with a `DB`/`D` suffix) for a debit.
- **BCA** (KlikBCA Individu "Mutasi Rekening", download as CSV): header
  `Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo` (Indonesian) or
  `Date,Description,Branch,Amount,,Balance` (English), the unnamed column holding `CR`/`DB`;
  KlikBCA Bisnis puts the flag in the amount cell (`"287,490.00 DB"`). Dates `'DD/MM/YYYY` (a
  leading apostrophe) or `DD/MM` (the year then comes from the `Periode` line above the header,
  else the import date), `PEND` for a transaction not yet booked (reported, not imported: it
  comes back booked in the next statement). Amounts `1,234,567.00`. Established from published
  sample files of both variants; the Indonesian header names are partly a guess.
- **Mandiri** (Mandiri Internet Bisnis / MCM "Account Statement" CSV): header
  `Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit`
  (the two Description columns are joined), dates `DD/MM/YY`, amounts `5,000,000.00` with `.00`
  for an empty side. Established from a published sample. Livin' by Mandiri exports
  (`Tanggal,Keterangan,...,Debit,Kredit`) are read by the same column names: a guess.
- **BNI** (BNI Direct / internet banking "Account Statement" CSV): header
  `Post Date,Value Date,Branch,Journal No.,Description,Debit,Credit` or the variant
  `Posting Date,Effective Date,Branch,Journal,Transaction Description,Amount,DB/CR,Balance`.
  Both are guesses from descriptions of the PDF statement's columns; not verified against a
  real CSV file.
- **BRI** (BRI internet banking / QLola "Mutasi Rekening" CSV): header
  `Tanggal Transaksi,Uraian Transaksi,Teller,Debet,Kredit,Saldo`, dates `DD/MM/YY` or
  `DD/MM/YYYY` (a time after the date is ignored), amounts `1.234.567,00` or `1,234,567.00`
  (both read). A guess from the columns of BRI's printed statement; not verified.

Whatever the bank, an amount is read with either thousands separator (`1.234.567`,
`1,234,567`, with or without 2 decimals, `Rp` prefix allowed); an amount with non-zero cents is
refused (the shop's amounts are whole rupiah, so such a credit cannot be one of its transfers).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_ROWS = 20_000


@dataclass
class Credit:
    line_no: int
    booked_on: date
    description: str
    amount: int


@dataclass
class BadLine:
    line_no: int
    text: str
    reason: str


@dataclass
class Parsed:
    format: str
    credits: list[Credit] = field(default_factory=list)
    garbage: list[BadLine] = field(default_factory=list)
    debits: int = 0


class UnreadableStatement(ValueError):
    """No header row of a known format was found (or the file is not text)."""


# column role -> accepted header names (lower case, trimmed, trailing dots dropped)
ROLES = {
    "date": ("date", "tanggal", "tanggal transaksi", "tgl", "tgl transaksi", "post date",
             "posting date", "transaction date", "tgl. transaksi"),
    "description": ("description", "keterangan", "uraian", "uraian transaksi",
                    "rincian transaksi", "transaction description", "remark", "deskripsi",
                    "reference no", "no. referensi", "no referensi"),
    "amount": ("amount", "jumlah", "mutasi", "nominal"),
    "credit": ("credit", "kredit", "cr", "mutasi kredit"),
    "debit": ("debit", "debet", "db", "mutasi debet", "mutasi debit"),
    "flag": ("db/cr", "d/k", "cr/db", "dk", "type"),
}
SUMMARY = re.compile(r"^\s*(saldo|starting|opening|closing|ending|mutasi|total|jumlah|"
                     r"beginning)", re.I)


def _name(header: str) -> str:
    return " ".join(header.strip().strip("'\"").lower().split()).rstrip(".").rstrip(":")


def _roles(row: list[str]) -> dict:
    """Column indexes by role; a BCA-style unnamed column right after the amount is the flag.
    Several description columns are all kept."""
    roles: dict = {"description": []}
    for index, header in enumerate(row):
        name = _name(header)
        for role, names in ROLES.items():
            if name in names or name.rstrip(".") in names:
                if role == "description":
                    roles["description"].append(index)
                else:
                    roles.setdefault(role, index)
                break
    if "amount" in roles and "flag" not in roles:
        after = roles["amount"] + 1
        if after < len(row) and not row[after].strip():
            roles["flag"] = after
    return roles


def _format_of(row: list[str], roles: dict) -> str:
    names = {_name(h) for h in row}
    if "account no" in names or "val. date" in names or "val date" in names:
        return "mandiri"
    if "journal no" in names or "journal" in names or "effective date" in names:
        return "bni"
    if "teller" in names or "uraian transaksi" in names:
        return "bri"
    if "cabang" in names or "branch" in names:
        return "bca"
    if names >= {"date", "description", "amount"} and len(names - {""}) == 3:
        return "generic"
    return "generic" if "amount" in roles else "other"


def _is_header(roles: dict) -> bool:
    return "date" in roles and ("amount" in roles or "credit" in roles)


_AMOUNT = re.compile(r"^([+-]?)(?:rp\.?\s*)?([0-9.,][0-9.,\s]*)$", re.I)


def parse_amount(raw: str) -> tuple[int | None, str]:
    """(rupiah, flag) from '1,234,567.00', '1.234.567,00', 'Rp150.123', '287,490.00 DB',
    '-50000'... flag is 'CR', 'DB' or ''. Raises ValueError."""
    text = (raw or "").strip().strip("'").strip()
    flag = ""
    match = re.search(r"\s*\b(CR|DB|K|D)$", text, re.I)
    if match:
        flag = {"K": "CR", "D": "DB"}.get(match.group(1).upper(), match.group(1).upper())
        text = text[:match.start()].strip()
    if not text:
        return None, flag
    match = _AMOUNT.match(text)
    if not match:
        raise ValueError("amount")
    sign, digits = match.group(1), match.group(2).replace(" ", "")
    whole, cents = _split_decimals(digits)
    if cents:
        raise ValueError("cents")
    value = int(whole) if whole else 0
    if sign == "-":
        flag = "DB"
    return value, flag


def _split_decimals(digits: str) -> tuple[str, int]:
    """(whole digits, cents) of '1,234,567.00', '1.234.567,00', '150.123', '150000.00'."""
    if not re.fullmatch(r"[0-9.,]+", digits):
        raise ValueError("amount")
    last = max(digits.rfind("."), digits.rfind(","))
    if last == -1:
        return digits, 0
    separator, head, tail = digits[last], digits[:last], digits[last + 1:]
    both = "." in digits and "," in digits
    thousands = not both and (digits.count(separator) > 1 or len(tail) == 3)
    if thousands:
        if not all(len(group) == 3 for group in digits.split(separator)[1:]):
            raise ValueError("amount")
        return digits.replace(separator, ""), 0
    if not tail.isdigit():
        raise ValueError("amount")
    return re.sub(r"[.,]", "", head), int(tail)


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%Y",
                 "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d %B %Y", "%Y/%m/%d")
_MONTHS_ID = {"mei": "may", "agu": "aug", "agt": "aug", "okt": "oct", "des": "dec",
              "januari": "january", "februari": "february", "maret": "march", "juni": "june",
              "juli": "july", "agustus": "august", "oktober": "october",
              "desember": "december", "nop": "nov", "nopember": "november"}


def parse_date(raw: str, year: int) -> date:
    """A statement date; DD/MM without a year takes `year`. Raises ValueError."""
    text = (raw or "").strip().strip("'").strip()
    text = text.split(" ")[0] if re.match(r"^\d{1,2}[/-]\d{1,2}[/-]\d{2,4} ", text) else text
    text = re.sub(r"[A-Za-z]+", lambda m: _MONTHS_ID.get(m.group(0).lower(), m.group(0)), text)
    if re.fullmatch(r"\d{1,2}/\d{1,2}", text):
        text = f"{text}/{year}"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("date")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableStatement("not text")


def _dialect(text: str):
    sample = "\n".join(text.splitlines()[:30])
    counts = {sep: sample.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _period_year(rows: list[list[str]], default: int) -> int:
    for row in rows:
        joined = " ".join(row)
        if re.search(r"periode|period", joined, re.I):
            found = re.findall(r"(?:19|20)\d{2}", joined)
            if found:
                return int(found[-1])
    return default


def _header(rows):
    """(index, row, roles) of the header row. Raises UnreadableStatement."""
    for index, row in enumerate(rows[:100]):
        roles = _roles(row)
        if _is_header(roles):
            return index, row, roles
    raise UnreadableStatement("no header")


def parse_statement(data: bytes, today: date) -> Parsed:
    """Read a statement file. Raises UnreadableStatement when no known header is found."""
    if b"\x00" in data[:4096]:
        raise UnreadableStatement("binary")
    text = _decode(data)
    rows = list(csv.reader(io.StringIO(text), delimiter=_dialect(text)))[:MAX_ROWS]
    index, row, roles = _header(rows)
    parsed = Parsed(format=_format_of(row, roles))
    year = _period_year(rows[:index], today.year)
    for line_no, cells in enumerate(rows[index + 1:], start=index + 2):
        _read_row(parsed, line_no, cells, roles, year)
    return parsed


def _cell(cells, index):
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read_row(parsed: Parsed, line_no: int, cells: list[str], roles: dict, year: int):
    if not any(c.strip() for c in cells):
        return
    raw_text = ",".join(cells)[:200]
    first = _cell(cells, roles["date"])
    if SUMMARY.match(first) or (not first and SUMMARY.match(raw_text.strip(","))):
        return  # opening/closing balance, totals
    if first.upper().strip("'") == "PEND":
        parsed.garbage.append(BadLine(line_no, raw_text, "pending"))
        return
    try:
        booked_on = parse_date(first, year)
        amount, is_credit = _amount_of(cells, roles)
    except ValueError as exc:
        parsed.garbage.append(BadLine(line_no, raw_text, str(exc) or "amount"))
        return
    if not is_credit:
        parsed.debits += 1
        return
    description = " ".join(" ".join(_cell(cells, i) for i in roles["description"]).split())
    parsed.credits.append(Credit(line_no, booked_on, description[:300], amount))


def _amount_of(cells, roles) -> tuple[int, bool]:
    """(amount, is it a credit). Raises ValueError."""
    if "credit" in roles:
        credit, _flag = parse_amount(_cell(cells, roles["credit"]))
        if credit:
            return credit, True
        debit, _flag = parse_amount(_cell(cells, roles.get("debit")))
        if debit:
            return debit, False
        raise ValueError("no_amount")
    amount, flag = parse_amount(_cell(cells, roles["amount"]))
    if amount is None:
        raise ValueError("no_amount")
    flag_cell = _cell(cells, roles.get("flag")).upper()
    if flag_cell in ("CR", "K", "C", "CREDIT", "KREDIT"):
        flag = "CR"
    elif flag_cell in ("DB", "D", "DR", "DEBIT", "DEBET"):
        flag = "DB"
    if amount == 0:
        raise ValueError("no_amount")
    return amount, flag != "DB"
