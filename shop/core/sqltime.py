"""SQL for WIT calendar parts of a naive-UTC column, on SQLite or PostgreSQL.

Literal SQL, no bound parameters: the same expression then matches in GROUP BY."""

from sqlalchemy import Integer, cast, extract, func, literal_column

from shop.extensions import db


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _sqlite_seconds(column):
    # SQLite's date functions keep milliseconds and round: 14:59:59.9999 would become 15:00
    # and the next day. Cut the stored text to whole seconds first (boundaries are whole).
    return func.substr(column, literal_column("1"), literal_column("19"))


def wit_day(column):
    """The WIT calendar day (text YYYY-MM-DD on SQLite, a date on PostgreSQL)."""
    if _is_postgres():
        return func.date(column + literal_column("interval '9 hours'"))
    return func.date(_sqlite_seconds(column), literal_column("'+9 hours'"))


def wit_month(column):
    """The WIT month (1-12) as an integer."""
    if _is_postgres():
        return cast(extract("month", column + literal_column("interval '9 hours'")), Integer)
    return cast(func.strftime(literal_column("'%m'"), _sqlite_seconds(column),
                              literal_column("'+9 hours'")), Integer)


def wit_year(column):
    """The WIT year as an integer."""
    if _is_postgres():
        return cast(extract("year", column + literal_column("interval '9 hours'")), Integer)
    return cast(func.strftime(literal_column("'%Y'"), _sqlite_seconds(column),
                              literal_column("'+9 hours'")), Integer)
