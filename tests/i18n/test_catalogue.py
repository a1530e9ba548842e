"""English all the way: every message the code and the templates give a person goes through
gettext (Indonesian source text), and the English catalogue translates every one of them."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"

# Words that give an Indonesian sentence away (short ones only as whole words).
INDONESIAN = re.compile(
    r"\b(tidak|wajib|sudah|belum|pesanan|paket|harus|silakan|gagal|berhasil|ditemukan|diisi|"
    r"maksimal|minimal|keranjang|kata sandi|surel|jumlah|stok|dibatalkan|dikirim|untuk|dengan|"
    r"atau|bisa|boleh|bayar|pembayaran|rekening|alamat|nomor|habis|sedang|kartu|ditolak|coba|"
    r"lagi|dan|yang|dari|tersedia|ditambahkan|ubah|hapus|simpan|harga|bulan|tahun|tanggal|"
    r"kirim|periksa|tulis|objek|misalnya|alasan|sampai|karakter)\b",
    re.I)
GETTEXT = {"_", "_l", "N_", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Not for a shop visitor: operators' command line, the API document for developers, the demo
# data (a product's own text), and the monthly statement, an official Indonesian document
# signed and filed by the Kanwil.
NOT_UI = ("cli.py", "api/openapi.py", "/demo/", "admin/statements.py",
          "payments/statement_formats.py")  # (+ the bank statements' own column names)


def _bare_indonesian(path: Path):
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Constant, ast.JoinedStr)):
            continue
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str):
                continue
            text = node.value
        else:
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if " " not in text.strip() or not INDONESIAN.search(text):
            continue
        parent = parents.get(node)
        if isinstance(parent, (ast.Expr, ast.JoinedStr)):  # docstrings; parts of an f-string
            continue
        while isinstance(parent, (ast.BinOp, ast.keyword, ast.FormattedValue)):
            parent = parents.get(parent)
        if isinstance(parent, ast.Call):
            func = parent.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in GETTEXT or name in LOGGING or name == "record":
                continue  # (record: the audit log, kept in the shop's language)
        yield node.lineno, text


def test_no_message_skips_gettext():
    found = []
    for path in sorted((ROOT / "shop").rglob("*.py")):
        if any(part in str(path) for part in NOT_UI):
            continue
        found += [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
                  for line, text in _bare_indonesian(path)]
    assert not found, "Indonesian text outside gettext:\n" + "\n".join(found)


def test_the_english_catalogue_translates_every_message(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-k", "N_",
                    "-o", str(pot), str(ROOT)], check=True, capture_output=True, cwd=ROOT)
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    catalogue = {m.id: m for m in read_po(PO.open("rb")) if m.id}
    missing = sorted(str(i) for i in wanted - set(catalogue))
    assert not missing, "not in the English catalogue (make translations-update):\n" + \
        "\n".join(missing[:40])

    def untranslated(message):
        text = message.string
        return message.fuzzy or not (text if isinstance(text, str) else all(text))

    bad = sorted(str(m.id) for i, m in catalogue.items() if i in wanted and untranslated(m))
    assert not bad, f"{len(bad)} messages untranslated or fuzzy:\n" + "\n".join(bad[:40])
