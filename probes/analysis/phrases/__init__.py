"""One phrase engine for every judge that listens to words (greeting, chat, silent-call
closing, forbidden phrases, taboos). Patterns are checklist data (:mod:`checklists.phrases`);
this package folds text (:mod:`.normalise`), compiles patterns (:mod:`.compile`) and finds
them (:mod:`.engine`), by characters and, for voice, by sound (:mod:`.pinyin`)."""

from probes.analysis.phrases.engine import Element, Match, Mode, PhraseBook, Text, slot_values
from probes.analysis.phrases.normalise import flat, fold

__all__ = ["Element", "Match", "Mode", "PhraseBook", "Text", "flat", "fold", "slot_values"]
