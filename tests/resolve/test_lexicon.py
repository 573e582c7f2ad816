"""The resolve lexicon (lexicons/resolve.yaml): its schema is checked, its patterns behave."""

from __future__ import annotations

import pytest
from resolve_fakes import shipped_lexicon

from khabar.errors import KnowledgeError
from khabar.resolve.lexicon import check_lexicon, compile_lexicon, words_pattern


def test_resolve_shipped_lexicon_passes_its_check():
    check_lexicon(shipped_lexicon("resolve"))


def test_resolve_malformed_lexicon_names_the_file_and_entry():
    broken = dict(shipped_lexicon("resolve"), families=[["ASSAULT"]])
    with pytest.raises(KnowledgeError, match=r"lexicons/resolve\.yaml: family"):
        check_lexicon(broken)
    without = {k: v for k, v in shipped_lexicon("resolve").items() if k != "merge"}
    with pytest.raises(KnowledgeError, match="'merge' must be a dict"):
        check_lexicon(without)
    unquoted = dict(shipped_lexicon("resolve"), refutation_cues=[False, "hoax"])
    with pytest.raises(KnowledgeError, match="refutation_cues must list words"):
        check_lexicon(unquoted)
    with pytest.raises(KnowledgeError, match="expected a mapping"):
        check_lexicon(["not", "a", "mapping"])
    merge = shipped_lexicon("resolve")["merge"]
    for share in (0, 1.5, "half"):
        with pytest.raises(KnowledgeError, match=r"merge\.content_overlap_alone must be a share"):
            check_lexicon(dict(shipped_lexicon("resolve"), merge=dict(merge, content_overlap_alone=share)))


def test_resolve_word_patterns_match_whole_words_only():
    pattern = words_pattern(["new", "press conference"])
    assert pattern.search("a new attack") and pattern.search("the Press  Conference")
    assert not pattern.search("the news agency") and not pattern.search("renewed fighting")


def test_resolve_anaphor_pattern_needs_a_determiner_close_to_the_trigger():
    lex = compile_lexicon(shipped_lexicon("resolve"))
    assert lex.anaphor.search("It is believed that these ")
    assert lex.anaphor.search("Despite mediation, the Istanbul peace ")
    assert not lex.anaphor.search("Pakistan launched ")
    assert not lex.anaphor.search("the army said on Monday that a very large number of ")
