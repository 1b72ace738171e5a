"""The assistant's retrieval index: BM25 (bm25s) over folded syllables and syllable pairs.

Documents are the active procedures (name twice, field, result, applicants), the officers' guide entries
(title twice, the ways citizens ask, the start of the body) and the learned examples (a question an
officer linked to a procedure or an entry). Scores are aggregated per target (the best document of a
procedure or entry wins). The index lives in memory once per process and is rebuilt when a cheap stamp
(counts and last change of procedures, entries, examples and synonyms) changes; the stamp is checked
at most every STAMP_TTL seconds, so an edit in another process shows within that delay.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import bm25s
import numpy as np

from motcua.assistant.text import DEFAULT_LEXICON, STOPWORDS, Lexicon, content_words, normalise, tokens

STAMP_TTL = 2.0
RARE_WORD = 4.5  # a single syllable never names a subject alone in Vietnamese (pairs do): off
# Vietnamese spelling confusions (initial consonants written as heard in the South and the North).
_INITIALS = (
    ("tr", "ch"),
    ("ch", "tr"),
    ("s", "x"),
    ("x", "s"),
    ("gi", "d"),
    ("d", "gi"),
    ("r", "d"),
    ("d", "r"),
    ("l", "n"),
    ("n", "l"),
    ("v", "d"),
    ("qu", "w"),
)

Target = tuple[str, str]  # ("p", procedure code) or ("g", guide entry id)


@dataclass(frozen=True)
class Doc:
    target: Target
    text: str
    example: bool = False
    name: str = ""  # the procedure's or entry's name, for the precision bonus


@dataclass
class Hit:
    target: Target
    score: float
    coverage: float  # share of the question's meaningful words (by IDF) that the target's text contains
    distinctive: float = 0.0  # IDF of the rarest word pair (or rare word) shared with the target


@dataclass(eq=False)
class Index:
    lexicon: Lexicon
    targets: list[Target] = field(default_factory=list)
    slot_of: dict[Target, int] = field(default_factory=dict)
    doc_targets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    tokens_of: list[frozenset[str]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    deletes: dict[str, set[str]] = field(default_factory=dict)
    exact: dict[str, Target] = field(default_factory=dict)
    names: dict[Target, frozenset[str]] = field(default_factory=dict)
    model: bm25s.BM25 | None = None

    @classmethod
    def build(cls, docs: Iterable[Doc], lexicon: Lexicon = DEFAULT_LEXICON) -> Index:
        index = cls(lexicon=lexicon)
        corpus: list[list[str]] = []
        doc_targets: list[int] = []
        toks_of: dict[int, set[str]] = defaultdict(set)
        for doc in docs:
            folded = normalise(doc.text, lexicon)
            toks = tokens(folded)
            if not toks:
                continue
            slot = index.slot_of.setdefault(doc.target, len(index.slot_of))
            corpus.append(toks)
            doc_targets.append(slot)
            toks_of[slot].update(toks)
            if doc.example:
                index.exact[" ".join(content_words(folded))] = doc.target
            if doc.name:
                index.names[doc.target] = frozenset(tokens(normalise(doc.name, lexicon)))
        index.targets = list(index.slot_of)
        index.doc_targets = np.array(doc_targets, dtype=np.int32)
        index.tokens_of = [frozenset(toks_of[i]) for i in range(len(index.targets))]
        n = max(len(index.targets), 1)
        df: dict[str, int] = defaultdict(int)
        for ts in index.tokens_of:
            for t in ts:
                df[t] += 1
        index.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        for word in index.idf:
            if len(word) >= 4 and "_" not in word:
                for i in range(len(word)):
                    index.deletes.setdefault(word[:i] + word[i + 1 :], set()).add(word)
        if corpus:
            model = bm25s.BM25(k1=1.2, b=0.75)
            model.index(corpus, show_progress=False)
            index.model = model
        return index

    def correct(self, word: str) -> str:
        """A catalog word for a misspelt one (one letter off, or a confused initial), else the word."""
        if word in self.idf or len(word) < 3 or word.isdigit() or word in STOPWORDS:
            return word
        for wrong, right in _INITIALS:
            if word.startswith(wrong) and right + word[len(wrong) :] in self.idf:
                return right + word[len(wrong) :]
        candidates: set[str] = set(self.deletes.get(word, ()))
        for i in range(len(word)):
            shorter = word[:i] + word[i + 1 :]
            if shorter in self.idf:
                candidates.add(shorter)
            candidates |= self.deletes.get(shorter, set())
        if not candidates:
            return word
        return min(candidates, key=lambda w: (self.idf.get(w, 0.0), w))

    def query(self, question: str) -> tuple[str, list[str]]:
        """(corrected folded question, its tokens)."""
        folded = normalise(question, self.lexicon)
        corrected = " ".join(self.correct(w) for w in folded.split())
        return corrected, tokens(corrected)

    def typed(self, question: str) -> frozenset[str]:
        """The words the citizen actually typed (before any spelling correction)."""
        return frozenset(normalise(question, self.lexicon).split())

    def precision(self, target: Target, said: set[str]) -> float:
        """IDF-weighted share of the target name's words and pairs that the question contains."""
        name = self.names.get(target)
        if not name:
            return 0.0
        total = sum(self.idf.get(t, 0.0) for t in name) or 1.0
        return sum(self.idf.get(t, 0.0) for t in name if t in said) / total

    def learned(self, question: str) -> Target | None:
        """The target of a learned example with exactly this question's meaningful words."""
        folded, _toks = self.query(question)
        return self.exact.get(" ".join(content_words(folded)))

    def describe(
        self, target: Target, query: list[str], score: float = 0.0, typed: frozenset[str] = frozenset()
    ) -> Hit:
        slot = self.slot_of.get(target)
        have = self.tokens_of[slot] if slot is not None else frozenset()
        unknown_idf = max(self.idf.values(), default=1.0)
        words = {t for t in query if "_" not in t}
        weights = {w: self.idf.get(w, unknown_idf) for w in words}
        total = sum(weights.values()) or 1.0
        coverage = sum(v for w, v in weights.items() if w in have) / total
        shared = [
            self.idf[t]
            for t in set(query)
            if t in have and ("_" in t or (t in typed and self.idf[t] >= RARE_WORD))
        ]
        return Hit(target=target, score=score, coverage=coverage, distinctive=max(shared, default=0.0))

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        if self.model is None:
            return []
        _folded, query = self.query(question)
        typed = self.typed(question)
        known = [t for t in query if t in self.model.vocab_dict]
        if not known:
            return []
        scores = self.model.get_scores(known)
        best = np.zeros(len(self.targets), dtype=np.float64)
        np.maximum.at(best, self.doc_targets, scores)
        order = np.argsort(-best)[:limit]
        return [
            self.describe(self.targets[slot], query, float(best[slot]), typed)
            for slot in order.tolist()
            if best[slot] > 0
        ]


_lock = threading.Lock()
_cache: dict[str, tuple[object, Index, float]] = {}


def cached_index(stamp: Callable[[], object], build: Callable[[], Index]) -> Index:
    """The process's index, rebuilt when `stamp()` changes (checked at most every STAMP_TTL seconds)."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get("index")
        if cached and now - cached[2] < STAMP_TTL:
            return cached[1]
    current = stamp()
    with _lock:
        cached = _cache.get("index")
        if cached and cached[0] == current:
            _cache["index"] = (current, cached[1], now)
            return cached[1]
    index = build()
    with _lock:
        _cache["index"] = (current, index, now)
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()
