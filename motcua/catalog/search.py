"""Procedure search that citizens can use: diacritics and case do not matter, common spellings,
misspellings and colloquial names ("so do", "CCCD", "lam giay khai sinh") find the right procedure.

How it works (the same on SQLite and PostgreSQL, so results do not depend on the database):
- every procedure keeps a folded `search_text` (no diacritics, lower case), written on save;
- queries are folded, colloquial phrases are rewritten with a synonym table, filler words dropped;
- each query word is matched exactly, or to the nearest catalog word (edit distance 1-2 / trigram
  similarity) when it is not a catalog word (misspellings, missing letters, joined words);
- documents are ranked by BM25F (name weighted above field, result and applicants) plus a bonus for
  word pairs that appear in the name in order (phrases such as "khai sinh", "ket hon").
The index over active procedures is built in memory once per process and rebuilt when the catalog
changes (a cheap version query per search); 5,000 procedures rank in a few milliseconds.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from motcua.org.selectors import fold

if TYPE_CHECKING:  # catalog.models imports this module when a procedure is saved
    from django.db.models import QuerySet

    from motcua.catalog.models import Procedure

# Colloquial phrase -> catalog wording (both folded). Longest phrases are applied first.
SYNONYMS: dict[str, str] = {
    "mat giay khai sinh": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "giay khai sinh bi mat": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "giay khai sinh ban sao": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "ban sao khai sinh": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "sao giay khai sinh": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "dang ky ho kinh doanh": "dang ky thanh lap ho kinh doanh",
    "cong chung giay to": "chung thuc ban sao tu ban chinh giay to",
    "lam the can cuoc": "cap the can cuoc cho nguoi tu du 14 tuoi tro len",
    "can cuoc gan chip": "cap the can cuoc cho nguoi tu du 14 tuoi tro len",
    "sua sai so do": "dinh chinh giay chung nhan da cap co sai sot",
    "sua so do": "dinh chinh giay chung nhan da cap co sai sot",
    "so do bi sai": "dinh chinh giay chung nhan da cap co sai sot",
    "sai so do": "dinh chinh giay chung nhan da cap co sai sot",
    "dinh chinh so do": "dinh chinh giay chung nhan da cap co sai sot",
    "chung tu": "dang ky khai tu",
    "dang ky dat dai": "dang ky dat dai ho gia dinh ca nhan",
    "cccd": "cap the can cuoc cho nguoi tu du 14 tuoi tro len",
    "cccd cho con": "cap the can cuoc cho nguoi duoi 14 tuoi",
    "cccd cho be": "cap the can cuoc cho nguoi duoi 14 tuoi",
    "can cuoc cho con": "cap the can cuoc cho nguoi duoi 14 tuoi",
    "can cuoc cho tre": "cap the can cuoc cho nguoi duoi 14 tuoi",
    "lam lai": "cap lai",
    "can cuoc cong dan": "the can cuoc",
    "cmnd": "cap the can cuoc cho nguoi tu du 14 tuoi tro len",
    "chung minh nhan dan": "can cuoc the can cuoc",
    "chung minh thu": "can cuoc the can cuoc",
    "lam can cuoc": "cap the can cuoc cho nguoi tu du 14 tuoi tro len",
    "lam cccd": "cap the can cuoc",
    "doi cccd": "cap doi the can cuoc",
    "mat cccd": "cap lai the can cuoc",
    "vneid": "dinh danh dien tu can cuoc dien tu",
    "dinh danh muc 2": "tai khoan dinh danh dien tu muc do 02",
    "so do": "giay chung nhan quyen su dung dat dang ky dat dai ho gia dinh ca nhan",
    "so hong": "giay chung nhan quyen su dung dat quyen so huu nha o dang ky dat dai ho gia dinh ca nhan",
    "bia do": "giay chung nhan quyen su dung dat dang ky dat dai",
    "lam so": "cap giay chung nhan quyen su dung dat",
    "lam so do": "dang ky dat dai cap giay chung nhan quyen su dung dat lan dau ho gia dinh ca nhan",
    "lam so hong": "dang ky dat dai cap giay chung nhan quyen su dung dat lan dau ho gia dinh ca nhan",
    "giay khai sinh": "dang ky khai sinh",
    "lam giay khai sinh": "dang ky khai sinh",
    "lam khai sinh": "dang ky khai sinh",
    "khai sinh cho con": "dang ky khai sinh",
    "khai sinh cho be": "dang ky khai sinh",
    "sinh con": "dang ky khai sinh",
    "moi sinh": "dang ky khai sinh",
    "giay ket hon": "dang ky ket hon",
    "lam giay ket hon": "dang ky ket hon",
    "lay vo": "dang ky ket hon",
    "lay chong": "dang ky ket hon",
    "cuoi vo": "dang ky ket hon",
    "dam cuoi": "dang ky ket hon",
    "chung nhan ket hon": "dang ky ket hon",
    "giay chung tu": "dang ky khai tu",
    "bao tu": "dang ky khai tu",
    "nguoi mat": "dang ky khai tu",
    "nguoi chet": "dang ky khai tu",
    "qua doi": "khai tu",
    "xac nhan doc than": "cap giay xac nhan tinh trang hon nhan",
    "giay doc than": "cap giay xac nhan tinh trang hon nhan",
    "doc than": "xac nhan tinh trang hon nhan",
    "xac nhan hon nhan": "xac nhan tinh trang hon nhan",
    "ho khau": "dang ky thuong tru",
    "tach ho khau": "tach ho",
    "tach khau": "tach ho",
    "nhap khau": "dang ky thuong tru",
    "chuyen khau": "dang ky thuong tru",
    "cat khau": "xoa dang ky thuong tru",
    "khai bao tam tru": "dang ky tam tru",
    "o tro": "dang ky tam tru thong bao luu tru",
    "thue nha": "dang ky tam tru",
    "sao y": "chung thuc ban sao tu ban chinh",
    "sao y ban chinh": "chung thuc ban sao tu ban chinh",
    "cong chung": "chung thuc ban sao tu ban chinh",
    "cong chung ban sao": "chung thuc ban sao tu ban chinh",
    "chung thuc chu ky": "chung thuc chu ky trong cac van ban diem chi",
    "chung thuc chu ky nguoi dich": "chung thuc chu ky nguoi dich cong tac vien dich thuat",
    "ky xac nhan": "chung thuc chu ky",
    "ban sao giay khai sinh": "cap ban sao trich luc ho tich ban sao giay khai sinh",
    "trich luc": "cap ban sao trich luc ho tich",
    "xin phep xay dung": "cap giay phep xay dung",
    "xin phep xay nha": "cap giay phep xay dung",
    "giay phep xay nha": "cap giay phep xay dung",
    "xay nha": "giay phep xay dung",
    "mo quan": "dang ky thanh lap ho kinh doanh",
    "mo cua hang": "dang ky thanh lap ho kinh doanh",
    "kinh doanh ca the": "ho kinh doanh",
    "giay phep kinh doanh": "dang ky thanh lap ho kinh doanh",
    "dong cua kinh doanh": "cham dut hoat dong ho kinh doanh",
    "nghi kinh doanh": "tam ngung kinh doanh",
    "ho ngheo": "cong nhan ho ngheo ho can ngheo",
    "so ho ngheo": "cong nhan ho ngheo",
    "tranh chap dat": "tranh chap dat dai",
    "doi ten": "thay doi cai chinh ho tich",
    "sua ten": "thay doi cai chinh ho tich",
    "sai ten": "cai chinh ho tich",
    "nhan con": "dang ky nhan cha me con",
    "nhan cha": "dang ky nhan cha me con",
    "xin con nuoi": "dang ky viec nuoi con nuoi",
    "nhan con nuoi": "dang ky viec nuoi con nuoi",
    "ma chay": "ho tro chi phi mai tang",
    "tien mai tang": "ho tro chi phi mai tang",
    "chon cat": "mai tang",
    "tro cap": "tro cap xa hoi",
    "nguoi khuyet tat": "xac dinh muc do khuyet tat giay xac nhan khuyet tat",
    "the khuyet tat": "giay xac nhan khuyet tat",
    "di vang": "khai bao tam vang",
    "vang nha": "khai bao tam vang",
    "luu tru": "thong bao luu tru",
    "ly hon": "ly hon ghi vao so ho tich",
    "giam ho": "dang ky giam ho",
    "hoa giai": "hoa giai",
    "boi thuong": "boi thuong nha nuoc",
}

# Words that carry no meaning in a citizen's question.
STOPWORDS = frozenset(
    "toi em anh chi minh muon can phai lam the nao sao gi o dau bao nhieu mat may ngay thi "
    "nhu thu tuc ho so giay to xin hoi cho va voi cua la duoc khong ko k nhe a oi di".split()
)
# Words kept when they are part of a phrase (filler alone, meaningful in "xin cap", "lam so").
SHORT_OK = frozenset({"ho", "so"})

FIELD_WEIGHTS = {"code": 6.0, "name": 3.0, "field": 1.0, "result": 1.2, "extra": 0.6}
K1 = 1.2
# Length normalisation per field: a short name that says exactly what was asked beats a long one.
FIELD_B = {"code": 0.0, "name": 0.9, "field": 0.3, "result": 0.6, "extra": 0.6}
PHRASE_BONUS = 1.5
COVERAGE_BONUS = 3.0
CANDIDATES = 100
RELATIVE_CUTOFF = 0.12
PRECISION_BONUS = 2.0
_WORD = re.compile(r"[a-z0-9.]+")


def words(text: str) -> list[str]:
    return [w.strip(".") for w in _WORD.findall(text) if w.strip(".")]


def search_text_for(procedure: Procedure) -> str:
    """The folded text stored on the procedure (kept in sync in Procedure.save)."""
    field_name = procedure.field.name if getattr(procedure, "field_id", None) and procedure.field else ""
    parts = [
        procedure.code,
        procedure.name,
        field_name,
        procedure.result_text,
        (procedure.applicants or "")[:300],
    ]
    return " | ".join(fold(p) for p in parts)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _edit_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            # transposition
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous[j - 2] + 1 if j >= 2 else value)
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass
class _Doc:
    pk: int
    code: str
    fields: dict[str, list[str]]
    name_pairs: set[tuple[str, str]]
    name_set: frozenset = frozenset()
    own: frozenset = frozenset()
    own_idf: float = 0.0


@dataclass(eq=False)
class Index:
    docs: list[_Doc] = field(default_factory=list)
    postings: dict[str, list[tuple[int, dict[str, int]]]] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)
    avg_len: dict[str, float] = field(default_factory=dict)
    trigram_vocab: dict[str, set[str]] = field(default_factory=dict)
    joined: dict[str, tuple[str, str]] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    idfs: dict[str, float] = field(default_factory=dict)
    weighted: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[tuple[int, str, str]]) -> Index:
        """rows: (pk, code, search_text) with search_text = 'code | name | field | result | extra'."""
        index = cls()
        totals: Counter = Counter()
        per_term: dict[str, list[tuple[int, dict[str, int]]]] = defaultdict(list)
        for position, (pk, code, text) in enumerate(rows):
            parts = (text.split(" | ") + ["", "", "", "", ""])[:5]
            fields = dict(
                zip(("code", "name", "field", "result", "extra"), (words(p) for p in parts), strict=True)
            )
            name = fields["name"]
            pairs = set(zip(name, name[1:], strict=False))
            index.docs.append(_Doc(pk=pk, code=code, fields=fields, name_pairs=pairs))
            index.codes[code] = position
            tf: dict[str, dict[str, int]] = defaultdict(dict)
            for fname, toks in fields.items():
                totals[fname] += len(toks)
                for tok, n in Counter(toks).items():
                    tf[tok][fname] = n
            for tok, counts in tf.items():
                per_term[tok].append((position, counts))
            for a, b in pairs:
                index.joined.setdefault(a + b, (a, b))
        index.postings = dict(per_term)
        index.df = Counter({t: len(p) for t, p in per_term.items()})
        n = max(len(rows), 1)
        index.avg_len = {f: max(totals[f] / n, 1.0) for f in FIELD_WEIGHTS}
        grams: dict[str, set[str]] = defaultdict(set)
        for tok in index.postings:
            if len(tok) >= 3 and not tok.isdigit():
                for g in _trigrams(tok):
                    grams[g].add(tok)
        index.trigram_vocab = dict(grams)
        index.idfs = {tok: index.idf(tok) for tok in index.postings}
        # Precompute each posting's saturated BM25F term frequency: a query only adds numbers.
        for tok, postings in index.postings.items():
            positions, weights = [], []
            for position, counts in postings:
                doc = index.docs[position]
                saturated = 0.0
                for fname, n in counts.items():
                    if fname == "name":
                        n = 1  # a word repeated in a long name is not more relevant
                    field_b = FIELD_B[fname]
                    length_norm = 1 - field_b + field_b * len(doc.fields[fname]) / index.avg_len[fname]
                    saturated += FIELD_WEIGHTS[fname] * n / length_norm
                positions.append(position)
                weights.append(saturated * (K1 + 1) / (saturated + K1))
            index.weighted[tok] = (np.array(positions, dtype=np.int32), np.array(weights, dtype=np.float64))
        for doc in index.docs:
            doc.name_set = frozenset(doc.fields["name"])
            doc.own = doc.name_set - STOPWORDS
            doc.own_idf = sum(index.idfs.get(t, 0.0) for t in doc.own)
        return index

    # --- query side ------------------------------------------------------------------
    @lru_cache(maxsize=4096)  # noqa: B019 - the index is immutable once built
    def correct(self, token: str) -> tuple[str, ...]:
        """Catalog words for a query word: itself, a split of a joined word, or the nearest spelling."""
        if token in self.postings:
            return (token,)
        if token in self.joined:
            return self.joined[token]
        # Vietnamese i/y spellings: "ki" = "ky", "li" = "ly", "mi" = "my".
        swapped = token[:-1] + {"i": "y", "y": "i"}.get(token[-1], token[-1])
        if swapped in self.postings:
            return (swapped,)
        if len(token) < 3 or token.isdigit():
            return ()
        candidates: Counter = Counter()
        for g in _trigrams(token):
            for word in self.trigram_vocab.get(g, ()):
                candidates[word] += 1
        limit = 1 if len(token) <= 4 else 2
        best: list[tuple[int, int, int, str]] = []
        for word, _shared in candidates.most_common(60):
            d = _edit_distance(token, word, limit)
            if d <= limit:
                prefix = len(os.path.commonprefix([token, word]))
                best.append((d, -prefix, -self.df[word], word))
        if not best:
            return ()
        best.sort()
        return (best[0][3],)

    def idf(self, token: str) -> float:
        n = len(self.docs)
        df = self.df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, limit: int = 20) -> list[tuple[int, float]]:
        """[(pk, score)] best first."""
        segments = expand_segments(query)
        if not segments:
            return []
        raw_code = re.search(r"\b(\d\.\d{6})\b", query or "")
        tokens: list[str] = []
        pairs: set[tuple[str, str]] = set()
        for segment in segments:
            seg_tokens: list[str] = []
            for tok in words(segment):
                if tok in STOPWORDS and tok not in SHORT_OK:
                    continue
                seg_tokens.extend(self.correct(tok))
            tokens.extend(seg_tokens)
            pairs |= set(zip(seg_tokens, seg_tokens[1:], strict=False))
        scores = np.zeros(len(self.docs), dtype=np.float64)
        counted = Counter(tokens)
        for tok, q_count in counted.items():
            if tok not in self.weighted:
                continue
            weight = (1.0 + 0.3 * (q_count - 1)) * self.idfs[tok]
            if tok in SHORT_OK:
                weight *= 0.5
            positions, tfs = self.weighted[tok]
            scores[positions] += weight * tfs
        if raw_code and raw_code.group(1) in self.codes:
            scores[self.codes[raw_code.group(1)]] += 1000.0
        candidates = np.flatnonzero(scores)
        if len(candidates) > CANDIDATES:
            candidates = candidates[np.argpartition(-scores[candidates], CANDIDATES)[:CANDIDATES]]
        # Phrase, coverage and precision bonuses re-rank the best BM25 candidates only.
        content = {t for t in counted if t not in SHORT_OK and t in self.postings}
        content_idf = sum(self.idfs[t] for t in content) or 1.0
        ranked: list[tuple[float, str, int]] = []
        for position in candidates.tolist():
            doc = self.docs[position]
            score = float(scores[position])
            hits = len(pairs & doc.name_pairs)
            if hits:
                score += PHRASE_BONUS * hits * (1 + math.log(1 + hits))
            if content:
                score += (
                    COVERAGE_BONUS * sum(self.idfs[t] for t in content if t in doc.name_set) / content_idf
                )
                if doc.own_idf:
                    said = sum(self.idfs.get(t, 0.0) for t in doc.own if t in counted)
                    score += PRECISION_BONUS * said / doc.own_idf
            ranked.append((-score, doc.code, doc.pk))
        ranked.sort()
        if ranked:
            floor = -ranked[0][0] * RELATIVE_CUTOFF  # drop matches on a lone common word
            ranked = [r for r in ranked if -r[0] >= floor]
        return [(pk, -neg) for neg, _code, pk in ranked[:limit]]


@lru_cache(maxsize=1)
def _synonym_pattern() -> re.Pattern:
    phrases = sorted(SYNONYMS, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")


# Phrases that say who the procedure is for, not which one ("cho con" = for my child).
FILLER = re.compile(
    r"\b(cho con|cho be|cho chau|cua toi|cua minh|cho toi|o dau|nhu the nao|the nao|bao lau)\b"
)


def expand_segments(query: str) -> list[str]:
    """The folded query followed by the catalog wording of every colloquial phrase it contains."""
    folded = fold(query)
    if not folded:
        return []
    # Both spellings are correct Vietnamese ("kí"/"ký", "lí"/"lý"); the catalog writes "ký", "lý".
    folded = re.sub(r"\b(k|l)i\b", r"\1y", folded)
    extra = [SYNONYMS[m.group(1)] for m in _synonym_pattern().finditer(folded)]
    return [FILLER.sub(" ", folded).strip(), *extra]


def expand(query: str) -> str:
    return " ".join(expand_segments(query))


_lock = threading.Lock()
_cache: dict[str, tuple[object, Index, float]] = {}


STAMP_TTL = 2.0  # seconds: another process's catalog edit shows within this delay


def catalog_index(queryset: QuerySet[Procedure], stamp: Callable[[], object]) -> Index:
    """The index over `queryset` (pk, code, search_text), rebuilt when `stamp()` changes.

    The stamp (a cheap aggregate query) is checked at most every STAMP_TTL seconds; a save in this
    process clears the cache at once (Procedure.save calls clear_cache).
    """
    key = "active"
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached and now - cached[2] < STAMP_TTL:
            return cached[1]
    current = stamp()
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == current:
            _cache[key] = (current, cached[1], now)
            return cached[1]
    index = Index.build(list(queryset.values_list("pk", "code", "search_text")))
    with _lock:
        _cache[key] = (current, index, now)
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()
