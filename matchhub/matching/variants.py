"""Forms of a skill term the normaliser looks up: the folded tokens, and the term
without versions, fillers, durations or plural, with its vendor abbreviated or its
JavaScript "js" dropped, and the shorter names a skill's display name implies.

Pure functions over folded token tuples; the word lists come from
:mod:`matchhub.matching.wordlists`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from matchhub.matching.text import fold, tokens
from matchhub.matching.wordlists import (
    DURATION_UNITS,
    GENERIC_DERIVED,
    INNER_FILLERS,
    PHRASINGS,
    PREFIXES,
    ROLE_NOUNS,
    SUFFIXES,
    VENDOR_ABBREVIATIONS,
    VENDORS,
)

_PARENS_RE = re.compile(r"\(([^()]*)\)")

_VERSION_RE = re.compile(
    r"^(?:v?\d+(?:\.\d+)*[a-z]?|r\d|\d+r\d|\d+k\d*|cs\d*|cc|sp\d|x\d*|[a-z]\d|\d+x|lts)$"
)
_TRAILING_DIGITS_RE = re.compile(r"^([a-z][a-z.+#-]*?[a-z+#])\d+(?:\.\d+)*$")
#: the version tokens without a digit: a term with neither keeps every token
_DIGIT_RE = re.compile(r"\d")
_VERSION_WORDS = frozenset({"cc", "cs", "x", "lts"})


@lru_cache(maxsize=65536)
def term_tokens(term: str) -> tuple[str, ...]:
    """Folded tokens of a term (see :func:`matchhub.matching.text.tokens`). Cached."""
    return tuple(tokens(fold(term)))


def strip_versions(toks: tuple[str, ...]) -> tuple[str, ...]:
    """Drop version tokens and digits glued to a word (``php7``, ``laravel5``)."""
    if _VERSION_WORDS.isdisjoint(toks) and not _DIGIT_RE.search(" ".join(toks)):
        return toks  # the common case, in two C calls
    out = []
    for i, tok in enumerate(toks):
        if i > 0 and _VERSION_RE.match(tok):
            continue
        m = _TRAILING_DIGITS_RE.match(tok)
        out.append(m.group(1) if m and len(m.group(1)) >= 2 else tok)
    return tuple(out)


def _by_edge_token(affixes: tuple[str, ...], first: bool) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Affixes as token tuples, grouped by their first (or last) token, longest first."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for affix in affixes:
        toks = tuple(affix.split())
        grouped.setdefault(toks[0] if first else toks[-1], []).append(toks)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()}


_PREFIX_INDEX = _by_edge_token(PREFIXES, first=True)
_SUFFIX_INDEX = _by_edge_token(SUFFIXES, first=False)


def _strip_prefix(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    for affix in _PREFIX_INDEX.get(toks[0], ()):
        if len(toks) > len(affix) and toks[: len(affix)] == affix:
            return toks[len(affix) :]
    return None


def _strip_suffix(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    for affix in _SUFFIX_INDEX.get(toks[-1], ()):
        if len(toks) > len(affix) and toks[-len(affix) :] == affix:
            return toks[: -len(affix)]
    return None


def filler_variants(toks: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Shorter forms of a term with filler phrases stripped from either end.

    Ordered by how much was stripped (fewest first), so the caller, which looks
    each form up in turn, lets a filler that belongs to a real alias ("sql
    server", "core java") match before it is stripped. Never strips to nothing.
    O(k^2) for k filler phrases at the ends, each found by one dict lookup.
    """
    heads = [toks]
    while (nxt := _strip_prefix(heads[-1])) is not None:
        heads.append(nxt)
    staged: list[tuple[int, int, tuple[str, ...]]] = []
    for i, head in enumerate(heads):
        form, j = head, 0
        while True:
            if i or j:
                staged.append((i + j, i, form))
            nxt = _strip_suffix(form)
            if nxt is None:
                break
            form, j = nxt, j + 1
    staged.sort(key=lambda t: (t[0], t[1]))
    return [form for _, _, form in staged]


#: deletes the vowels and spaces of a folded key (str.translate: one C pass)
_NO_VOWELS = str.maketrans("", "", "aeiouy ")


def skeleton(key: str) -> str:
    """A folded key without its vowels and spaces: "lam viec nhom" -> "lmvcnhm"."""
    return key.translate(_NO_VOWELS)


def accented(term: str) -> tuple[bool, ...]:
    """For each token of the term, whether it was written with diacritics."""
    return tuple(not t.isascii() for t in tokens(unicodedata.normalize("NFC", term.lower())))


def derived_names(name: str) -> list[str]:
    """Shorter names a skill's display name implies, each a label on its own:
    the parts of "Magento / Adobe Commerce", the name and the acronym of
    "Amazon Web Services (AWS)", each example of "Proxy servers (ISA, Squid)",
    and the name without its vendor ("Microsoft IIS" -> "IIS"). Generic leftovers
    ("Oracle Database" -> "Database") are dropped. O(len(name))."""
    # a parenthesised list names examples the skill covers: "Virtualisation
    # (VMware, Hyper-V)" answers for "VMware" and "Hyper-V"
    parts = [_PARENS_RE.sub(" ", name)]
    for inner in _PARENS_RE.findall(name):
        parts.extend(inner.split(",") if "," in inner else (inner,))
    out: list[str] = []
    for part in parts:
        for piece in part.split(" / ") if " / " in part else (part,):
            words = piece.split()
            if not words:
                continue
            out.append(" ".join(words))
            head = fold(words[0])
            # only a one-word product: "Amazon Web Services" is not "web services"
            if len(words) == 2 and head in VENDORS:
                out.append(" ".join(words[1:]))
    keep = []
    for cand in dict.fromkeys(out):
        key = " ".join(term_tokens(cand))
        if (
            key
            and key != " ".join(term_tokens(name))
            and len(key.replace(" ", "")) >= 2
            and (key not in GENERIC_DERIVED)
        ):
            keep.append(cand)
    return keep


def singular(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with an English plural "s" dropped from its last token, if any."""
    last = toks[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        return (*toks[:-1], last[:-1])
    return None


def plural(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with an English plural "s" added to its last word ("web service"
    -> "web services"), for names written in the plural."""
    last = toks[-1]
    if len(last) >= 4 and last.isalpha() and last.isascii() and not last.endswith("s"):
        return (*toks[:-1], last + "s")
    return None


def drop_durations(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term without "<number> năm/years" ("kinh nghiệm 2 năm Java")."""
    if DURATION_UNITS.isdisjoint(toks):  # the common case, at C speed
        return toks
    out: list[str] = []
    i = 0
    while i < len(toks):
        if (
            i + 1 < len(toks)
            and toks[i].rstrip("+").isdigit()
            and toks[i + 1] in DURATION_UNITS
            and len(toks) > 2
        ):
            i += 2
            continue
        out.append(toks[i])
        i += 1
    return tuple(out) if out else toks


def drop_leading_numbers(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term without the numbers that start it, a score or a count ("7.0 IELTS",
    "2 Java"), when words follow; "3d", "5s" and "1c" keep their letter."""
    if not toks[0].isdigit():  # the common case
        return toks
    i = 0
    while i < len(toks) and toks[i].isdigit():
        i += 1
    return toks[i:] if i < len(toks) else toks


def drop_inner_fillers(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term without the function words of ``INNER_FILLERS``, and with a
    spelt-out dot read as the dot ("asp dot net" is "asp.net")."""
    if INNER_FILLERS.isdisjoint(toks) and "dot" not in toks:  # the common case
        return toks
    out = tuple(
        t
        for i, t in enumerate(toks)
        if t not in INNER_FILLERS
        and not (t == "dot" and i + 1 < len(toks) and toks[i + 1] == "net")
    )
    return out if out else toks


def role_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The activity a trailing role noun names ("graphic designer" -> "graphic design")."""
    if len(toks) < 2:
        return None
    repl = ROLE_NOUNS.get(toks[-1])
    return (*toks[:-1], repl) if repl else None


def vendor_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with its leading vendor abbreviated or spelt out ("ms word" ->
    "microsoft word"), so that either form reaches a name written the other way."""
    other = VENDOR_ABBREVIATIONS.get(toks[0])
    return (other, *toks[1:]) if other and len(toks) > 1 else None


def js_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The JavaScript library name with or without its "js" ("reactjs", "react js",
    "react.js" <-> "react"; "vue" -> "vue js"). Only for one- or two-word terms."""
    last = toks[-1]
    if len(toks) == 2 and last == "js":
        return toks[:1]
    if len(toks) == 1 and len(last) > 4 and last.endswith("js"):
        return (last[:-2],)
    if len(toks) == 1 and len(last) >= 3 and last.isalpha():
        return (last, "js")
    return None


def _phrasing_index() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Phrasings as (phrase tokens, replacement tokens), by first token, longest first."""
    grouped: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, replacement in PHRASINGS.items():
        toks = tuple(phrase.split())
        grouped.setdefault(toks[0], []).append((toks, tuple(replacement.split())))
    return {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in grouped.items()}


_PHRASING_INDEX = _phrasing_index()
_PHRASING_FIRST = frozenset(_PHRASING_INDEX)


def _rephrased(toks: tuple[str, ...]):
    """The walk behind :func:`rephrase`: each output token with the index of the token
    of ``toks`` it keeps, or ``None`` for a word a phrasing put in."""
    i = 0
    while i < len(toks):
        for phrase, replacement in _PHRASING_INDEX.get(toks[i], ()):
            if toks[i : i + len(phrase)] == phrase:
                for word in replacement:
                    yield word, None
                i += len(phrase)
                break
        else:
            yield toks[i], i
            i += 1


def rephrase(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term in the taxonomy's words: each phrase of ``PHRASINGS`` replaced, longest
    first, left to right ("xay dung trang web" -> "phat trien web"). ``toks`` itself
    when nothing applies, which callers test by identity. O(len(toks))."""
    if _PHRASING_FIRST.isdisjoint(toks):
        return toks
    out = [word for word, _ in _rephrased(toks)]
    return tuple(out) if out != list(toks) else toks


def rephrased_accents(toks: tuple[str, ...], written: tuple[bool, ...]) -> tuple[bool, ...]:
    """For each token of ``rephrase(toks)``, whether it was written with diacritics
    (``written`` is that flag for ``toks``): a kept token keeps its flag, the
    taxonomy's words put in by a phrasing have none. ``()`` when ``written`` does
    not match ``toks``. So "xây dựng hình ảnh" rephrased is still "ảnh" (image),
    never "Anh" (English). O(len(toks))."""
    if len(written) != len(toks):
        return ()
    return tuple(False if i is None else written[i] for _, i in _rephrased(toks))


def unglued(toks: tuple[str, ...], vocab: frozenset[str]) -> tuple[str, tuple[str, str]] | None:
    """A single unknown word that is two known words run together ("corejava",
    "javaweb"), split at the one place that makes two words of ``vocab`` of 3+
    letters: the spaced term and its two parts; ``None`` otherwise. O(len(word))."""
    if len(toks) != 1 or len(toks[0]) < 6 or toks[0] in vocab:
        return None
    word = toks[0]
    splits = [(word[:i], word[i:]) for i in range(3, len(word) - 2)]
    splits = [(a, b) for a, b in splits if a in vocab and b in vocab]
    return (" ".join(splits[0]), splits[0]) if len(splits) == 1 else None


def english_shaped(word: str) -> bool:
    """Whether a three-letter word has the consonant-vowel-consonant shape of an
    English word ("net", "win"), unlike most acronyms ("php", "erp", "sql")."""
    return len(word) == 3 and [c in "aeiouy" for c in word] == [False, True, False]
