"""Vietnamese as citizens type it: folding, abbreviations, tokens, dossier codes, facets and intents.

Pure functions over strings (no database): the index and the engine feed them the officers' synonym list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from motcua.org.selectors import fold

# Seed of the officers' list (model `Synonym`): abbreviations replace the word, phrases add the catalog
# wording. Folded on both sides.
ABBREVIATIONS: dict[str, str] = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "hok": "khong",
    "dc": "duoc",
    "dk": "dang ky",
    "dky": "dang ky",
    "j": "gi",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "bnhieu": "bao nhieu",
    "mk": "minh",
    "mik": "minh",
    "vs": "voi",
    "ok": "",
    "ak": "a",
    "ah": "a",
    "nhe": "",
    "ad": "",
    "admin": "",
    "e": "em",
    "a": "anh",
    "c": "chi",
    "ng": "nguoi",
    "trc": "truoc",
    "r": "roi",
    "z": "vay",
    "v": "vay",
    "gdinh": "gia dinh",
    "hs": "ho so",
    "ubnd": "uy ban nhan dan",
    "ub": "uy ban",
}
PHRASES: dict[str, str] = {
    "cccd": "the can cuoc",
    "cmnd": "the can cuoc",
    "cmt": "the can cuoc",
    "can cuoc cong dan": "the can cuoc",
    "chung minh nhan dan": "the can cuoc",
    "bhyt": "bao hiem y te",
    "so do": "giay chung nhan quyen su dung dat dang ky dat dai",
    "so hong": "giay chung nhan quyen su dung dat quyen so huu nha o",
    "giay khai sinh": "khai sinh",
    "giay ket hon": "dang ky ket hon",
    "giay chung tu": "khai tu",
    "vneid": "tai khoan dinh danh dien tu",
    "dinh danh muc 2": "tai khoan dinh danh dien tu muc do 02",
    "muc 2": "muc do 02",
    "lay vo": "dang ky ket hon",
    "lay chong": "dang ky ket hon",
    "cuoi vo": "dang ky ket hon",
    "sua ten": "thay doi cai chinh ho tich",
    "sai ten": "thay doi cai chinh ho tich",
    "doi ten": "thay doi cai chinh ho tich",
    "cho be": "duoi 14 tuoi",
    "tre em": "duoi 14 tuoi",
    "qua doi": "khai tu",
    "mat roi": "khai tu",
    "ho khau": "thuong tru",
    "nhap khau": "dang ky thuong tru",
    "chuyen khau": "dang ky thuong tru",
    "cat khau": "xoa dang ky thuong tru",
    "tach khau": "tach ho",
    "o tro": "tam tru",
    "thue nha": "tam tru",
    "sao y": "chung thuc ban sao tu ban chinh",
    "cong chung": "chung thuc",
    "doc than": "xac nhan tinh trang hon nhan",
    "xay nha": "giay phep xay dung",
    "mo quan": "dang ky thanh lap ho kinh doanh",
    "mo cua hang": "dang ky thanh lap ho kinh doanh",
    "giay phep kinh doanh": "giay chung nhan dang ky ho kinh doanh",
    "ma chay": "mai tang",
    "dam ma": "mai tang",
    "sinh con": "khai sinh",
    "moi sinh": "khai sinh",
    "em be": "tre em khai sinh",
    "ly di": "ly hon",
    "di vang": "tam vang",
    "nhan con nuoi": "nuoi con nuoi",
    "nhan con": "dang ky nhan cha me con",
    "nhan cha": "dang ky nhan cha me con",
    "bao tu": "dang ky khai tu",
    "giay bao tu": "dang ky khai tu",
    "xin con nuoi": "nuoi con nuoi",
}

# Words that carry no meaning for retrieval (folded).
STOPWORDS = frozenset(
    """toi em anh chi minh ban co can muon phai lam the nao sao gi o dau bao nhieu ngay thi nhu va voi cua la
    duoc khong nhe a oi di ha vay roi nay do kia nhung cac mot nhieu it rat qua lai con da dang se moi cho
    xin hoi giup voi nguoi dan chao ad vui long cam on thu tuc giay to gom can gi ai nao khi nhe nha
    uy ban nhan dan phuong xa cap ve trong tren duoi den tu ra vao theo hom""".split()
)
# Facet words: what the citizen wants to know about a procedure (checked on the folded question).
FACETS: dict[str, tuple[str, ...]] = {
    "papers": (
        "giay to gi",
        "giay to can",
        "can giay",
        "can nhung gi",
        "can gi",
        "can chuan bi",
        "chuan bi gi",
        "chuan bi nhung",
        "mang theo",
        "mang gi",
        "thanh phan ho so",
        "ho so gom",
        "ho so can",
        "nhung giay",
        "giay to nao",
        "giay to",
    ),
    "fee": (
        "le phi",
        "phi",
        "bao nhieu tien",
        "mat tien",
        "ton tien",
        "tien",
        "mien phi",
        "chi phi",
        "dong bao nhieu",
        "tra bao nhieu",
    ),
    "time": (
        "bao lau",
        "may ngay",
        "thoi gian",
        "thoi han",
        "khi nao co",
        "bao gio co",
        "bao gio xong",
        "mat may",
        "lau khong",
        "nhanh khong",
    ),
    "place": (
        "o dau",
        "noi nao",
        "cho nao",
        "nop o",
        "lam o",
        "co quan nao",
        "den dau",
        "dia chi",
    ),
    "who": ("ai duoc", "doi tuong", "ai co the", "dieu kien", "ai lam", "nguoi nao duoc", "ai phai"),
    "online": (
        "online",
        "truc tuyen",
        "qua mang",
        "tren mang",
        "dich vu cong",
        "nop qua mang",
        "tai nha",
        "qua dien thoai",
        "tren dien thoai",
        "khong can den",
    ),
}

STATUS_WORDS = (
    "tra cuu ho so",
    "tinh trang ho so",
    "ho so cua toi",
    "ho so cua em",
    "ho so cua minh",
    "ho so toi nop",
    "ho so da nop",
    "ho so den dau",
    "den dau roi",
    "xu ly den dau",
    "giai quyet den dau",
    "da xong chua",
    "xong chua",
    "co ket qua chua",
    "ma ho so",
    "ma so ho so",
    "trang thai ho so",
    "kiem tra ho so",
)
FEEDBACK_WORDS = (
    "phan anh",
    "khieu nai",
    "to cao",
    "buc xuc",
    "kien nghi",
    "rac thai",
    "do rac",
    "bai rac",
    "rac",
    "o ga",
    "ngap nuoc",
    "ngap",
    "den duong",
    "lan chiem",
    "lan vao",
    "chiem via he",
    "on ao",
    "karaoke",
    "tieng on",
    "hach sach",
    "nhung nhieu",
    "thai do",
    "cay do",
    "cay xanh",
    "cay nga",
    "chan duong",
    "hu hong",
    "cong thoat nuoc",
    "mui hoi",
    "xay dung trai phep",
    "xay trai phep",
    "mat trat tu",
    "vi pham",
    "ton dong",
    "cham tre",
    "tre hen",
)
HANDOVER_WORDS = (
    "gap can bo",
    "gap nguoi",
    "nguoi that",
    "noi chuyen voi",
    "tu van vien",
    "goi lai cho",
    "can nguoi",
    "nhan vien",
)

# Dossier codes (TT 01/2018 Art 19): `<agency identifier>-YYMMDD-NNNN`. The identifier is dotted groups
# of letters and digits (000.00.12.H29, H26.115, 000.00.09.H01); citizens add '#', quotes, spaces,
# lower case, other dashes or only spaces between the parts.
_DASH = r"(?:\s*[-‐‑‒–—―_/]\s*|\s+)"
CODE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z.])"
    r"(?P<agency>[0-9A-Za-z]{1,8}(?:\s*\.\s*[0-9A-Za-z]{1,8}){1,5})"
    + _DASH
    + r"(?P<date>\d{6})"
    + _DASH
    + r"(?P<seq>\d{4,6})(?![0-9])"
)
_AGENCY_MARK = re.compile(r"[A-Za-z]\d{2}|\d{3}")


def extract_code(text: str) -> str | None:
    """The first dossier code written in `text`, in its canonical shape (upper case, no spaces)."""
    for match in CODE_IN_TEXT.finditer(text or ""):
        agency = re.sub(r"\s+", "", match.group("agency")).upper()
        if not _AGENCY_MARK.search(agency):
            continue
        return f"{agency}-{match.group('date')}-{match.group('seq')}"
    return None


@dataclass(frozen=True)
class Lexicon:
    """The officers' synonym list, compiled: abbreviations (word -> word) and phrases (-> extra words)."""

    replace: Mapping[str, str]
    expand: Mapping[str, str]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, bool]]) -> Lexicon:
        replace: dict[str, str] = {}
        expand: dict[str, str] = {}
        for phrase, meaning, add in rows:
            phrase, meaning = fold(phrase), fold(meaning)
            if not phrase:
                continue
            if add:
                expand[phrase] = meaning
            elif " " not in phrase:
                replace[phrase] = meaning
            else:
                expand[phrase] = meaning
        return cls(replace=replace, expand=expand)


DEFAULT_LEXICON = Lexicon.of(
    [(k, v, False) for k, v in ABBREVIATIONS.items()] + [(k, v, True) for k, v in PHRASES.items()]
)


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b")


def normalise(text: str, lexicon: Lexicon = DEFAULT_LEXICON) -> str:
    """Folded text with abbreviations spelled out ("ko dc" -> "khong duoc") and the catalog wording of
    colloquial phrases appended ("so do" -> "... giay chung nhan quyen su dung dat")."""
    words = [lexicon.replace.get(w, w) for w in fold(text).split()]
    folded = " ".join(w for w in words if w)
    # "ki"/"ky", "li"/"ly" are both correct Vietnamese; the catalog writes "ky", "ly".
    folded = re.sub(r"\b(k|l)i\b", r"\1y", folded)
    pattern = _phrase_pattern(tuple(lexicon.expand))
    if pattern is None:
        return folded
    extra = [lexicon.expand[m.group(1)] for m in pattern.finditer(folded)]
    return " ".join([folded, *extra]).strip()


def content_words(folded: str) -> list[str]:
    return [w for w in folded.split() if w not in STOPWORDS and not w.isdigit()]


def tokens(folded: str) -> list[str]:
    """Syllables and adjacent syllable pairs of the meaningful words (pairs carry Vietnamese words:
    "khai sinh", "ket hon", "tam tru")."""
    all_words = [w for w in folded.split() if not w.isdigit()]
    pairs = [
        f"{a}_{b}"
        for a, b in zip(all_words, all_words[1:], strict=False)
        if not (a in STOPWORDS and b in STOPWORDS) and a != b
    ]
    return content_words(folded) + pairs


def has_any(folded: str, phrases: Iterable[str]) -> bool:
    padded = f" {folded} "
    return any(f" {p} " in padded for p in phrases)


def facets(folded: str) -> list[str]:
    """Which facets the question asks about, in the FACETS order (several may be asked at once)."""
    return [name for name, phrases in FACETS.items() if has_any(folded, phrases)]
