"""Normalise free-text skill terms ("lập trình PHP7", "ms sql server 2008r2",
"tiếng anh giao tiếp") to taxonomy skills.

Precision comes first: a wrong merge silently misranks candidates, while an
unknown term is visible and can be curated into an alias. So each step below is
strict, and the loose ones (typo tolerance, finding a skill inside a longer
phrase) only run when the strict ones found nothing:

1. exact alias hit on the folded token key (``"Lập trình"`` and ``"lap trinh"``
   are the same key);
2. the same after dropping version noise (``php7``, ``java 1.8``, ``2008r2``) and
   Vietnamese/English filler words (``lập trình``, ``ngôn ngữ``, ``kỹ năng``,
   ``framework``, ``cơ bản``…), then the same key without spaces (``my sql``);
3. a typo: edit distance of 1 (2 for long keys) to one alias, and only one skill;
4. exactly one skill named inside the phrase (``"mysql web server"``).

Results are cached per normaliser, so a cohort's repeated terms cost a dict hit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from matchhub.matching.taxonomy import Taxonomy, load_taxonomy
from matchhub.matching.text import fold, tokens

__all__ = ["Normalized", "Normalizer", "term_tokens"]

#: Words that say how a skill is known or used, not which skill it is. Stripped
#: from the start of a term (longest first), folded.
_PREFIXES = tuple(
    sorted(
        {
            "lap trinh", "ngon ngu lap trinh", "ngon ngu", "ky nang", "ki nang", "su dung",
            "kien thuc ve", "kien thuc", "hieu biet ve", "hieu biet", "thanh thao",
            "kinh nghiem", "co kinh nghiem", "kinh nghiem ve", "kinh nghiem lam viec voi",
            "lam viec voi", "nam vung", "nam ro", "biet", "biet su dung", "co the",
            "cong cu", "phan mem", "ung dung", "he quan tri co so du lieu",
            "he quan tri csdl", "he quan tri", "quan tri", "co so du lieu", "csdl",
            "database", "db", "framework", "thu vien", "cong nghe", "nen tang",
            "he thong", "ngon ngu truy van", "lap trinh ung dung",
            "lap trinh voi", "chung chi", "trinh do", "mo hinh", "phuong phap",
            "knowledge of", "knowledge in", "experience with", "experience in",
            "experienced in", "proficient in", "proficiency in", "familiar with",
            "familiarity with", "skills in", "using", "use", "basic", "good", "strong",
            "advanced", "solid", "programming", "programming in", "developer",
            "dev", "code", "coding", "tools", "tool", "ms", "microsoft", "ms.",
            "language", "platform", "the", "and", "va", "voi", "with", "web",
            "working with", "work with", "hands-on", "hands on", "expert", "expert in",
            "xay dung", "phat trien", "thiet ke", "core",
        },
        key=lambda p: -len(p),
    )
)

#: Words stripped from the end of a term, folded.
_SUFFIXES = tuple(
    sorted(
        {
            "co ban", "nang cao", "tot", "thanh thao", "can ban", "framework", "frameworks",
            "language", "languages", "programming", "developer", "development", "skill",
            "skills", "tool", "tools", "basic", "basics", "platform", "library", "libraries",
            "database", "db", "ide", "software", "app", "apps", "technology",
            "technologies", "lib", "plugin", "api", "va", "and", "voi", "with", "etc",
            "dev", "code", "coding", "online", "essentials", "essential",
            "fundamentals", "concepts", "cloud", "services", "service", "server",
            "system", "systems", "he thong", "kien thuc", "ky nang", "co so", "chuyen nghiep",
            "trung binh", "kha", "gioi", "hieu qua", "pro", "expert", "project", "projects",
        },
        key=lambda p: -len(p),
    )
)

#: How specific a category is: in a phrase naming two skills, the more specific
#: one is the subject ("jquery" in "visual studio jquery").
_SPECIFICITY = {
    "transversal": 0, "domain": 1, "methodology": 2, "language": 3, "cloud-devops": 4,
    "tool": 4, "office": 5, "networking-security": 5, "data-ai": 5, "testing": 5,
    "design": 5, "database": 6, "programming-language": 6, "framework-library": 7,
}

_VERSION_RE = re.compile(
    r"^(?:v?\d+(?:\.\d+)*[a-z]?|r\d|\d+r\d|\d+k\d*|cs\d*|cc|sp\d|x\d*|[a-z]\d|\d+x|lts)$"
)
_TRAILING_DIGITS_RE = re.compile(r"^([a-z][a-z.+#-]*?[a-z+#])\d+(?:\.\d+)*$")


@dataclass(frozen=True, slots=True)
class Normalized:
    """The outcome for one term: the skill id (``None`` when unknown) and a
    confidence in ``[0, 1]`` (1.0 = exact alias, lower for looser steps)."""

    term: str
    skill_id: str | None
    score: float


@lru_cache(maxsize=65536)
def term_tokens(term: str) -> tuple[str, ...]:
    """Folded tokens of a term (see :func:`matchhub.matching.text.tokens`). Cached."""
    return tuple(tokens(fold(term)))


def _strip_versions(toks: tuple[str, ...]) -> tuple[str, ...]:
    """Drop version tokens and digits glued to a word (``php7``, ``laravel5``)."""
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


_PREFIX_INDEX = _by_edge_token(_PREFIXES, first=True)
_SUFFIX_INDEX = _by_edge_token(_SUFFIXES, first=False)


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


def _filler_variants(toks: tuple[str, ...]) -> list[tuple[str, ...]]:
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


_VOWELS_RE = re.compile(r"[aeiouy]")


def _skeleton(key: str) -> str:
    """A folded key without its vowels."""
    return " ".join(w for w in _VOWELS_RE.sub("", key).split())


def _accented(term: str) -> tuple[bool, ...]:
    """For each token of the term, whether it was written with diacritics."""
    return tuple(not t.isascii() for t in tokens(unicodedata.normalize("NFC", term.lower())))


def _singular(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with an English plural "s" dropped from its last token, if any."""
    last = toks[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        return (*toks[:-1], last[:-1])
    return None


class Normalizer:
    """Maps free-text terms to skills of one :class:`Taxonomy`.

    Building indexes every name and alias: O(total aliases). ``normalize`` is O(1)
    for repeated terms (cache) and for exact hits; a miss costs one rapidfuzz scan
    of the alias keys (C speed, well under a millisecond for a few thousand keys).
    """

    #: maximum edit distance for a typo, by key length (longer keys tolerate more)
    TYPO_MIN_LEN = 5
    TYPO_LONG_LEN = 12

    def __init__(self, taxonomy: Taxonomy):
        """Index the taxonomy's labels (names and aliases)."""
        self.taxonomy = taxonomy
        spaced: dict[str, str] = {}
        compact: dict[str, str | None] = {}
        weak: set[str] = set()
        ascii_keys: set[str] = set()
        vi_keys: set[str] = set()
        for skill in taxonomy:
            for label in skill.labels():
                toks = term_tokens(label)
                if not toks:
                    continue
                key = " ".join(toks)
                spaced.setdefault(key, skill.id)
                (ascii_keys if label.isascii() else vi_keys).add(key)
                # inside a longer phrase, a one-syllable Vietnamese alias ("mạng")
                # or a one/two-letter name is more likely an ordinary word
                if len(toks) == 1 and (not label.isascii() or len(key) <= 2):
                    weak.add(key)
        for key, sid in spaced.items():
            ckey = key.replace(" ", "")
            prev = compact.get(ckey, sid)
            # two skills whose keys only differ by spaces: ambiguous, keep neither
            compact[ckey] = sid if prev == sid else None
        self._spaced = spaced
        self._weak = frozenset(weak)
        # keys spelt only without diacritics ("sap", "go"): a Vietnamese syllable
        # that folds onto one of them ("sắp", "gỡ") is not that skill
        self._ascii_only = frozenset(ascii_keys - vi_keys)
        self._compact = {k: v for k, v in compact.items() if v is not None}
        self._max_ngram = max((k.count(" ") + 1 for k in spaced), default=1)
        # typo candidates: keys long enough for an edit to be a typo, not a new word,
        # and not Vietnamese: one edit turns a Vietnamese syllable into another word
        # ("giao việc" / "giáo viên"), and accents are already folded away
        ascii_compact = {k.replace(" ", "") for k in ascii_keys}
        self._fuzzy_keys = [
            k for k in self._compact if len(k) >= self.TYPO_MIN_LEN and k in ascii_compact
        ]
        self._fuzzy_ids = [self._compact[k] for k in self._fuzzy_keys]
        # vocabulary for correcting one misspelt word inside a longer term
        self._vocab = sorted(
            {t for k in ascii_keys for t in k.split() if len(t) >= self.TYPO_MIN_LEN}
        )
        self._vocab_set = frozenset(t for k in spaced for t in k.split())
        # consonant skeletons of multi-word keys: some CV exports lost every
        # accented vowel ("pht triển phn mm" for "phát triển phần mềm")
        skel: dict[str, str | None] = {}
        for key, sid in spaced.items():
            if " " in key:
                sk = _skeleton(key)
                if len(sk.replace(" ", "")) >= 6:
                    skel[sk] = sid if skel.get(sk, sid) == sid else None
        self._skeletons = {k: v for k, v in skel.items() if v is not None}
        self._cache: dict[str, Normalized] = {}

    @classmethod
    def default(cls) -> Normalizer:
        """The shared normaliser over the shipped taxonomy (built once)."""
        return _default_normalizer()

    def lookup(self, key: str) -> str | None:
        """Exact lookup of a folded, space-joined token key. O(1)."""
        return self._spaced.get(key) or self._compact.get(key.replace(" ", ""))

    @property
    def max_ngram(self) -> int:
        """Length in tokens of the longest alias."""
        return self._max_ngram

    def normalize(self, term: str) -> Normalized:
        """Map one term to ``Normalized(term, skill_id | None, score)``."""
        hit = self._cache.get(term)
        if hit is None:
            sid, score = self._resolve(term)
            hit = Normalized(term, sid, score)
            if len(self._cache) < 200_000:
                self._cache[term] = hit
        return hit

    def normalize_many(self, terms: Iterable[str]) -> list[Normalized]:
        """``normalize`` over an iterable, in order."""
        return [self.normalize(t) for t in terms]

    # ------------------------------------------------------------------ steps
    def _resolve(self, term: str) -> tuple[str | None, float]:
        toks = term_tokens(term)
        if not toks:
            return None, 0.0
        sid = self.lookup(" ".join(toks))
        if sid:
            return sid, 1.0
        versionless = _strip_versions(toks)
        forms = [versionless, *_filler_variants(versionless)]
        for form in forms:
            for cand in (form, _singular(form)):
                if cand and cand != toks:
                    sid = self.lookup(" ".join(cand))
                    if sid:
                        return sid, 0.95
        sid, score = self._typo(forms[-1])
        if sid:
            return sid, score
        if any(t not in self._vocab_set for t in versionless) and len(versionless) > 1:
            for form in forms:
                sid = self._skeletons.get(_skeleton(" ".join(form)))
                if sid:
                    return sid, 0.7
        corrected = self._correct_words(versionless)
        if corrected != versionless:
            for form in (corrected, *_filler_variants(corrected)):
                sid = self.lookup(" ".join(form))
                if sid:
                    return sid, 0.8
        accented = _accented(term)
        sid, score = self._inside(corrected, accented if len(accented) == len(toks) else ())
        return sid, (min(score, 0.7) if sid and corrected != versionless else score)

    def _correct_words(self, toks: tuple[str, ...]) -> tuple[str, ...]:
        """Replace each unknown word by the one alias word within one edit (two for
        long words), when exactly one such word exists ("sever" -> "server")."""
        if len(toks) < 2:
            return toks
        out = list(toks)
        for i, tok in enumerate(toks):
            if len(tok) < self.TYPO_MIN_LEN or tok in self._vocab_set or not tok.isalpha():
                continue
            max_dist = 1 if len(tok) < 8 else 2
            found = process.extract(
                tok, self._vocab, scorer=OSA.distance, score_cutoff=max_dist, limit=3
            )
            if not found:
                continue
            best = min(d for _, d, _ in found)
            words = [w for w, d, _ in found if d == best]
            if len(words) == 1 and words[0][0] == tok[0]:
                out[i] = words[0]
        return tuple(out)

    def _typo(self, toks: tuple[str, ...]) -> tuple[str | None, float]:
        """One alias within a small edit distance of the whole term, and one skill.

        One edit (two for a single long word); the first letter must agree: a typo
        rarely hits it, while "java structure" / "data structure" differ exactly there.
        Words of a multi-word term are corrected one by one in ``_correct_words``.
        """
        key = "".join(toks)
        if len(key) < self.TYPO_MIN_LEN or not self._fuzzy_keys:
            return None, 0.0
        max_dist = 2 if len(toks) == 1 and len(key) >= self.TYPO_LONG_LEN else 1
        found = process.extract(
            key, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=max_dist, limit=5
        )
        found = [(c, d, i) for c, d, i in found if c[0] == key[0]]
        if not found:
            return None, 0.0
        best = min(d for _, d, _ in found)
        ids = {self._fuzzy_ids[i] for _, d, i in found if d == best}
        if len(ids) != 1:
            return None, 0.0
        return ids.pop(), round(0.9 - 0.1 * best, 3)

    def _inside(
        self, toks: tuple[str, ...], accented: tuple[bool, ...] = ()
    ) -> tuple[str | None, float]:
        """The skill a longer phrase is about, from the skills named inside it.

        Aliases are found left to right, longest first. One skill: that one (0.8).
        Several: the most specific category wins ("wordpress cms", "visual studio
        jquery"); among equally specific ones the last named, which is where both
        English and Vietnamese CV phrases put the head ("linux / ubuntu", "nhúng
        php"), with a low score (0.6) that tells callers the term named more.
        """
        if len(toks) < 2:
            return None, 0.0
        if len(_strip_versions(toks)) != len(toks):
            accented = ()
        toks = _strip_versions(toks)
        found: list[str] = []
        i = 0
        n = len(toks)
        while i < n:
            for size in range(min(self._max_ngram, n - i), 0, -1):
                key = " ".join(toks[i : i + size])
                if key in self._weak or (
                    size == 1 and accented and accented[i] and key in self._ascii_only
                ):
                    continue
                sid = self.lookup(key)
                if sid:
                    found.append(sid)
                    i += size
                    break
            else:
                i += 1
        distinct = list(dict.fromkeys(found))
        if not distinct:
            return None, 0.0
        if len(distinct) == 1:
            return distinct[0], 0.8
        top = max(self._specificity(sid) for sid in distinct)
        return [sid for sid in distinct if self._specificity(sid) == top][-1], 0.6

    def _specificity(self, skill_id: str) -> int:
        skill = self.taxonomy.get(skill_id)
        return _SPECIFICITY.get(skill.category, 0) if skill else 0


@lru_cache(maxsize=1)
def _default_normalizer() -> Normalizer:
    return Normalizer(load_taxonomy())
