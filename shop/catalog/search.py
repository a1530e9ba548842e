"""Product search people can use: every word in any order, as a prefix, accents and case folded,
everyday spellings (built-in variants plus the Kanwil's), typo tolerance for words of five
letters or more, ranking name > category > facility > description, and "did you mean".

The words are folded in Python (shop.core.text.fold_words) both in the stored documents and in
the query; the database only matches plain words: an FTS5 table on SQLite, a `simple` tsvector
(with pg_trgm beside it) on PostgreSQL, both kept by the triggers of the search migration. The
typo and variant decisions are made here from the index's own word list, so both databases
give the same answers.
"""

from dataclasses import dataclass, field

from sqlalchemy import column, false, func, literal, literal_column, or_, select, table, union_all

from shop.catalog.models import SearchVariant
from shop.core.database import read_rows
from shop.core.text import edit_distance, fold_words
from shop.extensions import db

MAX_WORDS = 8
TYPO_MIN_LENGTH = 5

# Everyday spellings: typing the key also finds the value and the other way round. The Kanwil
# adds more at /admin/search-words (stored in search_variant).
BUILT_IN_VARIANTS = {
    "sambel": "sambal",
    "kripik": "keripik",
    "kerupuk": "krupuk",
    "cabe": "cabai",
    "lombok": "cabai",
    "sirop": "sirup",
    "syrup": "sirup",
    "mebel": "meubel",
    "tisu": "tissue",
    "tissu": "tissue",
    "hidroponik": "hydroponic",
    "kopiah": "peci",
    "rajut": "rajutan",
    "anyam": "anyaman",
    "miniatur": "miniature",
    "kelapa": "coconut",
    "minyak": "oil",
    "pala": "nutmeg",
    "jati": "teak",
    "cakalang": "skipjack",
    "sayur": "sayuran",
    "ayam": "chicken",
    "batako": "bata",
}

_FTS = table("product_fts", column("rowid"), column("name"), column("category"),
             column("facility"))
_FTS_TERMS = table("product_fts_terms", column("term"))
_PG = table("product_search", column("product_id"), column("name"), column("category"),
            column("facility"), column("document"))


@dataclass
class SearchPlan:
    """The typed words and, for each, the words it may match (all as prefixes)."""

    words: list[str]
    alternatives: list[list[str]] = field(default_factory=list)
    suggestion: str = ""

    @property
    def empty(self):
        return not self.words


def _is_postgres():
    return db.engine.dialect.name == "postgresql"


def _distance_limit(word):
    return 1 if len(word) < 8 else 2


def _lookup(words):
    """The variants and the index words that could matter for `words` (one query)."""
    long_words = [w for w in words if len(w) >= 3]
    parts = [select(literal("v").label("kind"), SearchVariant.word.label("a"),
                    SearchVariant.canonical.label("b"))]
    if long_words:
        lo = min(len(w) for w in long_words) - 2
        hi = max(len(w) for w in long_words) + 2
        if _is_postgres():
            terms = func.ts_stat("SELECT document FROM product_search").table_valued("word")
            term = terms.c.word
            source = select(literal("t"), term, literal("")).select_from(terms)
        else:
            term = _FTS_TERMS.c.term
            source = select(literal("t"), term, literal("")).select_from(_FTS_TERMS)
        prefixes = [term.like(f"{w}%") for w in long_words]
        parts.append(source.where(or_(func.length(term).between(lo, hi), false(), *prefixes)))
    variants, terms = {}, set()
    for kind, a, b in read_rows(union_all(*parts)):
        if kind == "v":
            variants[a] = b
        else:
            terms.add(a)
    return variants, terms


def _variants_of(word, variants):
    found = {word}
    for key, value in variants.items():
        if word == key:
            found.add(value)
        if word == value:
            found.add(key)
    # words sharing a canonical spelling find each other ("lombok" -> "cabai" -> "cabe")
    for other in list(found):
        found |= {k for k, v in variants.items() if v == other}
    return {w for w in found if w and " " not in w}


def _closest(word, terms, limit):
    best, best_distance = None, limit + 1
    for term in sorted(terms):
        d = edit_distance(word, term, limit + 1)
        if d < best_distance:
            best, best_distance = term, d
    return best


def plan_search(q: str) -> SearchPlan:
    words = list(dict.fromkeys(fold_words(q).split()))[:MAX_WORDS]
    plan = SearchPlan(words=words)
    if not words:
        return plan
    variants, terms = _lookup(words)
    variants = {fold_words(k): fold_words(v) for k, v in {**BUILT_IN_VARIANTS, **variants}.items()}
    suggestion = []
    for word in words:
        options = _variants_of(word, variants)
        known = any(t.startswith(o) for o in options for t in terms)
        if not known and len(word) >= TYPO_MIN_LENGTH:
            limit = _distance_limit(word)
            options |= {t for t in terms if edit_distance(word, t, limit + 1) <= limit}
        plan.alternatives.append(sorted(options))
        if not known and len(word) >= 3:
            suggestion.append(_closest(word, terms, 2 if len(word) >= TYPO_MIN_LENGTH else 1)
                              or word)
        else:
            suggestion.append(word)
    if suggestion != words:
        plan.suggestion = " ".join(suggestion)
    return plan


def match_clause(plan: SearchPlan, product_id):
    """`product_id IN (products matching every word)` for this dialect."""
    if _is_postgres():
        expression = " & ".join(
            "(" + " | ".join(f"'{o}':*" for o in options) + ")" for options in plan.alternatives
        )
        ids = select(_PG.c.product_id).where(
            _PG.c.document.op("@@")(func.to_tsquery("simple", expression))
        )
    else:
        expression = " AND ".join(
            "(" + " OR ".join(f'"{o}"*' for o in options) + ")" for options in plan.alternatives
        )
        ids = select(_FTS.c.rowid).where(literal_column("product_fts").op("MATCH")(expression))
    return product_id.in_(ids)


def ranked_fields():
    """The columns ranking reads, and how to join them to products."""
    if _is_postgres():
        return _PG, _PG.c.product_id
    return _FTS, _FTS.c.rowid


WEIGHTS = (("name", 8), ("category", 4), ("facility", 2))


def score(plan: SearchPlan, fields: dict) -> int:
    """Name > category > facility > description; a word as typed beats a variant or typo."""
    total = 0
    words = {name: (fields.get(name) or "").split() for name, _ in WEIGHTS}
    for typed, options in zip(plan.words, plan.alternatives, strict=True):
        best = 1
        for name, weight in WEIGHTS:
            for w in words[name]:
                if w.startswith(typed):
                    best = max(best, weight * 2 + (1 if w == typed else 0))
                elif any(w.startswith(o) for o in options):
                    best = max(best, weight * 2 - 1)
        total += best
    return total


def variant_list():
    """The Kanwil's variants (newest first) and the built-in ones, for the admin screen."""
    stored = list(db.session.scalars(
        select(SearchVariant).order_by(SearchVariant.created_at.desc(), SearchVariant.id.desc())
    ))
    return stored, sorted(BUILT_IN_VARIANTS.items())
