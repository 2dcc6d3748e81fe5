"""Vocabulary kept as data (the YAML files here) and the normalizer that applies it.

Chat spellings, politeness, school levels, synonyms, aspects of a procedure, the papers
procedures act on, other sectors' procedures and place names: every module that reads a
question reads them here, so one entry changes the bot everywhere and each entry is tested.
"""

from motcua.lexicon.normalize import Normalized, expand_chat, name_without_levels, normalize
from motcua.lexicon.phrases import Span, same_word
from motcua.lexicon.vocabulary import Vocabulary, vocabulary

__all__ = [
    "Normalized",
    "Span",
    "Vocabulary",
    "expand_chat",
    "name_without_levels",
    "normalize",
    "same_word",
    "vocabulary",
]
