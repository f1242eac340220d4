"""Matching keys for French place names and codes as people type them in forms (pure).

Everything here works on one string and knows nothing of the reference: the resolver
(``etl.territory``) applies the same functions to the reference names and to the input,
so a variant matches exactly when both sides reduce to the same key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from etl.french import fold_accents

_APOSTROPHES = re.compile(r"[’‘`´ʼ']")
# « Boulogne s/ Mer » is « Boulogne-sur-Mer ».
_SUR = re.compile(r"\bS\s*/\s*")
# « Havre (Le) », « Havre, Le » are how registers sort names with an article.
_TRAILING_ARTICLE = re.compile(r"^(.*?)[\s,]*(?:\(\s*(LE|LA|LES|L)\s*\)|,\s*(LE|LA|LES|L))\s*$")
_CEDEX = re.compile(r"\bCEDEX\b.*$")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_ORDINAL = re.compile(r"^(\d{1,2})(?:E|EME|IEME|ER|ERE|IER)$")
_ORDINAL_SUFFIXES = frozenset({"E", "EME", "IEME", "ER", "ERE", "IER"})
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}
_DROPPED = frozenset({"ARRONDISSEMENT", "ARRDT", "ARR"})
_ARTICLES = frozenset({"LE", "LA", "LES", "L"})
_EMPTY_MARKERS = frozenset({"", "-", "--", "/", ".", "?", "NAN", "NONE", "NULL", "NC", "N/A", "NA"})


def ascii_upper(text: str) -> str:
    """Upper case without diacritics or ligatures: « Châlons » → « CHALONS », « Œ » → « OE »."""
    return fold_accents(text.upper())


@lru_cache(maxsize=131_072)
def normalise_place_name(text: str) -> str:
    """The matching key of a French place name: what survives every usual way of typing it.

    Upper case without accents; apostrophes, hyphens, dots and any other punctuation become
    single spaces; « St », « Ste », « Sts », « Stes » become « SAINT », « SAINTE »…;
    « s/ » becomes « SUR »; a trailing « (Le) » or « , La » moves to the front; « Cedex »
    and what follows is dropped; ordinals lose their suffix and « arrondissement » is
    dropped, so « Paris 12e Arrondissement », « Paris 12ème » and « PARIS 12 » share a key.
    Examples: « st etienne » → ``SAINT ETIENNE``; « L’Haÿ-les-Roses » → ``L HAY LES ROSES``;
    « Havre (Le) » → ``LE HAVRE``. The empty string stays empty.
    """
    upper = _APOSTROPHES.sub(" ", ascii_upper(text))
    upper = _CEDEX.sub("", _SUR.sub("SUR ", upper)).strip()
    moved = _TRAILING_ARTICLE.match(upper)
    if moved:
        upper = f"{moved.group(2) or moved.group(3)} {moved.group(1)}"
    tokens: list[str] = []
    for token in _NOT_ALNUM.sub(" ", upper).split():
        ordinal = _ORDINAL.match(token)
        if ordinal:
            tokens.append(str(int(ordinal.group(1))))
        elif token in _DROPPED or (token in _ORDINAL_SUFFIXES and tokens and tokens[-1].isdigit()):
            continue
        else:
            tokens.append(_ABBREVIATIONS.get(token, token))
    return " ".join(tokens)


def without_article(key: str) -> str:
    """The key without a leading article (``LE HAVRE`` → ``HAVRE``); the key itself if none."""
    head, _, rest = key.partition(" ")
    return rest if head in _ARTICLES and rest else key


def compact(key: str) -> str:
    """The key without spaces: « Saintetienne » and « Saint-Étienne » meet here."""
    return key.replace(" ", "")


def blank_to_none(value: object) -> str | None:
    """The stripped text of a form cell, or ``None`` when it says nothing (« », « - », « NC »…)."""
    if value is None:
        return None
    text = str(value).strip()
    if text.upper() in _EMPTY_MARKERS:
        return None
    return text


_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")
_CODE_NOISE = re.compile(r"[\s.\u00a0\u202f]+")


def clean_code(text: str) -> str:
    """A code as typed, made comparable: upper case, no spaces or dots, Excel's « 1.0 » → « 1 »."""
    stripped = text.strip().upper()
    excel = _EXCEL_FLOAT.match(stripped)
    if excel:
        return excel.group(1)
    return _CODE_NOISE.sub("", stripped)


def five_char_code(text: str) -> str | None:
    """A commune or postal code padded to five characters, or ``None`` if it cannot be one.

    Spreadsheets drop the leading zero (``1000`` for ``01000``); Corsican INSEE codes carry a
    letter (``2A004``). « Cedex » and what follows is ignored (``75700 Cedex 07`` → ``75700``).
    """
    code = clean_code(_CEDEX.sub("", ascii_upper(text)))
    if re.fullmatch(r"\d{4}", code):
        return "0" + code
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
        return code
    return None


def osa_distance_at_most_one(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    start = 0
    while start < min(la, lb) and a[start] == b[start]:
        start += 1
    if la == lb:
        if a[start + 1 :] == b[start + 1 :]:
            return True
        return (
            start + 1 < la
            and a[start] == b[start + 1]
            and a[start + 1] == b[start]
            and a[start + 2 :] == b[start + 2 :]
        )
    longer, shorter = (a, b) if la > lb else (b, a)
    return longer[start + 1 :] == shorter[start:]


def single_deletions(word: str) -> set[str]:
    """Every string obtained by deleting one character of ``word`` (SymSpell neighbourhood)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
