"""store: khabar's database (SQLite by default, PostgreSQL through the same models).

Stage objects (Article, Extraction, Resolution, Credibility) in -> `Store` -> the same objects out
for report, serve and export. `Store` (store/repository.py) is the only code that speaks SQL;
schema.py holds the tables, convert.py the object <-> row mapping, db.py the engine and the
Alembic migrations in migrations/.
"""

from .repository import SearchHit, Store

__all__ = ["SearchHit", "Store"]
