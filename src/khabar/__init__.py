"""khabar: news reports about armed conflict in, a sourced, cross-checked record of events out."""

__version__ = "0.1.0"
