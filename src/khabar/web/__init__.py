"""web: `khabar serve`, the web application and REST API over the stored record (#6).

Store -> `create_app` (app.py) -> the API under /api/ (api.py, shapes in schemas.py) and the
pages at / (pages.py, templates/, static/), both built from views.py; articles POSTed to the API
go through the pipeline in the background (jobs.py); tokens and rate limits in auth.py; the
`serve` and `token create` commands in commands.py. A thin face: no SQL and no NLP here.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
