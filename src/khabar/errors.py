"""Every error khabar raises on purpose, in one place.

Each error names the input it is about and the reason, so one line tells a person what to fix.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base of khabar's own errors. `code` is stable and documented; `str()` is for people."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}: {message}" if source else message)


class InputError(KhabarError):
    """An input could not be read or is not an article (binary, empty, malformed, too large)."""

    code = "E100"


class FetchError(InputError):
    """A URL could not be fetched (refused address, timeout, too large, bad status)."""

    code = "E110"


class KnowledgeError(KhabarError):
    """A knowledge data file (actors, places, lexicons) is malformed."""

    code = "E200"


class ModelMissingError(KhabarError):
    """The spaCy model package is not installed."""

    code = "E300"


class StoreError(KhabarError):
    """The database could not be opened, migrated or written."""

    code = "E400"


class ExportError(KhabarError):
    """An export could not be written or does not validate."""

    code = "E500"
