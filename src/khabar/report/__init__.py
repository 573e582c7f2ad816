"""report: the stored record -> what people and programs read.

Reads only through `khabar.store.Store`, renders nothing itself: `exports` builds, validates and
writes the khabar/v1 JSON document (`khabar export`, `khabar check`); `overview` gives the key
figures of a corpus (`khabar demo`).
"""
