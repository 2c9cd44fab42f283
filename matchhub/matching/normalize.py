"""Normalise free-text skill terms ("lập trình PHP7", "ms sql server 2008r2",
"tiếng anh giao tiếp") to taxonomy skills.

Precision comes first: a wrong merge silently misranks candidates, while an
unknown term is visible and can be curated into an alias. So each step below is
strict, and the looser ones only run when the stricter ones found nothing:

1. exact alias hit on the folded token key (``"Lập trình"`` and ``"lap trinh"``
   are the same key; so are ``"my sql"`` and ``"mysql"``) — score 1.0;
2. the same after dropping version noise (``php7``, ``java 1.8``, ``2008r2``),
   Vietnamese/English filler words at either end (``lập trình``, ``ngôn ngữ``,
   ``kỹ năng``, ``framework``, ``cơ bản``…) or an English plural — 0.95;
3. a typo of an English/product alias: edit distance 1 (2 for one long word),
   same first letter, one skill only — 0.8;
4. a multi-word term that lost its accented vowels, by consonant skeleton — 0.7;
5. one misspelt word corrected inside a longer term — 0.8;
6. the skill a longer phrase names inside it (``"mysql web server"``) — 0.8, or
   when it names several, the most specific (then last named) one — 0.6.

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

__all__ = ["Normalized", "Normalizer", "derived_names", "term_tokens"]

#: Words that say how a skill is known or used, not which skill it is. Stripped
#: from the start of a term (longest first), folded.
_PREFIXES = tuple(
    sorted(
        {
            "lap trinh",
            "ngon ngu lap trinh",
            "ngon ngu",
            "ky nang",
            "ki nang",
            "su dung",
            "kien thuc ve",
            "kien thuc",
            "hieu biet ve",
            "hieu biet",
            "thanh thao",
            "kinh nghiem",
            "co kinh nghiem",
            "kinh nghiem ve",
            "kinh nghiem lam viec voi",
            "lam viec voi",
            "nam vung",
            "nam ro",
            "biet",
            "biet su dung",
            "co the",
            "cong cu",
            "phan mem",
            "ung dung",
            "he quan tri co so du lieu",
            "he quan tri csdl",
            "he quan tri",
            "quan tri",
            "co so du lieu",
            "csdl",
            "database",
            "db",
            "framework",
            "thu vien",
            "cong nghe",
            "nen tang",
            "he thong",
            "ngon ngu truy van",
            "lap trinh ung dung",
            "lap trinh voi",
            "chung chi",
            "trinh do",
            "mo hinh",
            "phuong phap",
            "knowledge of",
            "knowledge in",
            "experience with",
            "experience in",
            "experienced in",
            "proficient in",
            "proficiency in",
            "familiar with",
            "familiarity with",
            "skills in",
            "using",
            "use",
            "basic",
            "good",
            "strong",
            "advanced",
            "solid",
            "programming",
            "programming in",
            "developer",
            "dev",
            "code",
            "coding",
            "tools",
            "tool",
            "ms",
            "microsoft",
            "ms.",
            "language",
            "platform",
            "the",
            "and",
            "va",
            "voi",
            "with",
            "web",
            "working with",
            "work with",
            "hands-on",
            "hands on",
            "expert",
            "expert in",
            "xay dung",
            "phat trien",
            "thiet ke",
            "core",
            "co kien thuc",
            "co kien thuc ve",
            "am hieu",
            "am hieu ve",
            "su dung tot",
            "su dung thanh thao",
            "hieu ve",
            "tim hieu",
            "tim hieu ve",
            "lam quen voi",
            "co kha nang",
            "kha nang",
            "mot so",
            "cac",
            "understanding of",
            "knowledge about",
            "working knowledge of",
            "in-depth knowledge of",
            "deep understanding of",
            "experience of",
            "ability to use",
            "able to use",
            "lap trinh vien",
            "ky su",
            "chuyen vien",
            "nhan vien",
            "nam kinh nghiem",
            "kinh nghiem lam viec",
            "years of experience in",
            "years of experience with",
            "years experience in",
            "years experience with",
            # what one does with the skill: "viết test case", "triển khai hệ thống mạng"
            "thuc hien",
            "thuc thi",
            "tao",
            "viet",
            "chay",
            "trien khai",
            "van hanh",
            "quan ly",
            "ap dung",
        },
        key=lambda p: -len(p),
    )
)

#: Words stripped from the end of a term, folded.
_SUFFIXES = tuple(
    sorted(
        {
            "co ban",
            "nang cao",
            "tot",
            "thanh thao",
            "can ban",
            "framework",
            "frameworks",
            "language",
            "languages",
            "programming",
            "developer",
            "development",
            "skill",
            "skills",
            "tool",
            "tools",
            "basic",
            "basics",
            "platform",
            "library",
            "libraries",
            "database",
            "db",
            "ide",
            "software",
            "app",
            "apps",
            "technology",
            "technologies",
            "lib",
            "plugin",
            "api",
            "va",
            "and",
            "voi",
            "with",
            "etc",
            "dev",
            "code",
            "coding",
            "online",
            "essentials",
            "essential",
            "fundamentals",
            "concepts",
            "cloud",
            "services",
            "service",
            "server",
            "system",
            "systems",
            "he thong",
            "kien thuc",
            "ky nang",
            "co so",
            "chuyen nghiep",
            "trung binh",
            "kha",
            "gioi",
            "hieu qua",
            "pro",
            "expert",
            "project",
            "projects",
            "programmer",
            "engineer",
            "specialist",
            "consultant",
        },
        key=lambda p: -len(p),
    )
)

#: Keys that name a skill on their own but are too generic inside a longer phrase
#: ("máy tính" in "mạng máy tính", "phân tích" in "phân tích thực nghiệm").
_GENERIC_INSIDE = frozenset(
    {
        "may tinh",
        "vi tinh",
        "tin hoc",
        "internet",
        "phan tich",
        "he thong",
        "cong nghe",
        "ky nang mem",
        "soft skills",
        "design",
        "thiet ke",
        "quan ly",
        "quan tri",
        "kinh doanh",
        "nghien cuu",
        "research",
        "dao tao",
        "software",
        "phan mem",
        "data",
        "du lieu",
        "web",
        "app",
    }
)

#: How specific a category is: in a phrase naming two skills, the more specific
#: one is the subject ("jquery" in "visual studio jquery").
_SPECIFICITY = {
    "transversal": 0,
    "domain": 1,
    "methodology": 2,
    "language": 3,
    "cloud-devops": 4,
    "tool": 4,
    "office": 5,
    "networking-security": 5,
    "data-ai": 5,
    "testing": 5,
    "design": 5,
    "database": 6,
    "programming-language": 6,
    "framework-library": 7,
}

#: Vendor words dropped from a skill's name to derive a shorter key ("Microsoft
#: IIS" -> "iis", "Adobe Photoshop" -> "photoshop"), folded.
_VENDORS = frozenset(
    {
        "microsoft",
        "ms",
        "adobe",
        "google",
        "apache",
        "amazon",
        "ibm",
        "autodesk",
        "apple",
        "atlassian",
        "oracle",
        "sap",
        "jetbrains",
        "red hat",
        "the",
    }
)

#: Derived keys that are too generic to stand for one skill ("Oracle Database" ->
#: "database", "Google Cloud" -> "cloud").
_GENERIC_DERIVED = frozenset(
    {
        "database",
        "cloud",
        "server",
        "office",
        "suite",
        "software",
        "analytics",
        "design",
        "studio",
        "platform",
        "framework",
        "services",
        "service",
        "web",
        "data",
        "tools",
        "patterns",
        "pattern",
        "api",
        "app",
        "apps",
        "system",
        "systems",
        "commerce",
        "teams",
        "word",
        "access",
        "project",
        "sheets",
        "docs",
        "drive",
        "forms",
        "meet",
    }
)

_PARENS_RE = re.compile(r"\(([^()]*)\)")

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
            if len(words) == 2 and head in _VENDORS:
                out.append(" ".join(words[1:]))
    keep = []
    for cand in dict.fromkeys(out):
        key = " ".join(term_tokens(cand))
        if (
            key
            and key != " ".join(term_tokens(name))
            and len(key.replace(" ", "")) >= 2
            and (key not in _GENERIC_DERIVED)
        ):
            keep.append(cand)
    return keep


def _singular(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with an English plural "s" dropped from its last token, if any."""
    last = toks[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        return (*toks[:-1], last[:-1])
    return None


def _plural(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with an English plural "s" added to its last word ("web service"
    -> "web services"), for names written in the plural."""
    last = toks[-1]
    if len(last) >= 4 and last.isalpha() and last.isascii() and not last.endswith("s"):
        return (*toks[:-1], last + "s")
    return None


#: A role noun at the end of a term names the activity ("graphic designer" is
#: graphic design, "manual tester" manual testing).
_ROLE_NOUNS = {
    "designer": "design",
    "designers": "design",
    "tester": "testing",
    "testers": "testing",
    "analyst": "analysis",
    "analysts": "analysis",
    "administrator": "administration",
    "architect": "architecture",
    "programmer": "programming",
    "engineer": "engineering",
    "scientist": "science",
    "tests": "testing",
    "test": "testing",
    "developer": "development",
}

#: Units of an experience length ("2 năm", "3+ years") dropped with their number.
_DURATION_UNITS = frozenset({"nam", "years", "year", "yrs", "yr", "thang", "months", "month"})


def _drop_durations(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term without "<number> năm/years" ("kinh nghiệm 2 năm Java")."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        if (
            i + 1 < len(toks)
            and toks[i].rstrip("+").isdigit()
            and toks[i + 1] in _DURATION_UNITS
            and len(toks) > 2
        ):
            i += 2
            continue
        out.append(toks[i])
        i += 1
    return tuple(out) if out else toks


#: Vietnamese function words inside a term that do not change the skill: the
#: plural marker "các" ("xử lý các lỗi") and "của" ("phần cứng của máy tính").
#: Not "những": folded, it is "nhúng" (embedded).
_INNER_FILLERS = frozenset({"cac", "cua"})


def _drop_inner_fillers(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The term without the function words of ``_INNER_FILLERS``, and with a
    spelt-out dot read as the dot ("asp dot net" is "asp.net")."""
    out = tuple(
        t
        for i, t in enumerate(toks)
        if t not in _INNER_FILLERS
        and not (t == "dot" and i + 1 < len(toks) and toks[i + 1] == "net")
    )
    return out if out else toks


def _role_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The activity a trailing role noun names ("graphic designer" -> "graphic design")."""
    if len(toks) < 2:
        return None
    repl = _ROLE_NOUNS.get(toks[-1])
    return (*toks[:-1], repl) if repl else None


#: A leading vendor word and its abbreviation ("ms office" is "microsoft office").
_VENDOR_ABBREVIATIONS = {"ms": "microsoft", "microsoft": "ms"}


def _vendor_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The term with its leading vendor abbreviated or spelt out ("ms word" ->
    "microsoft word"), so that either form reaches a name written the other way."""
    other = _VENDOR_ABBREVIATIONS.get(toks[0])
    return (other, *toks[1:]) if other and len(toks) > 1 else None


def _js_variant(toks: tuple[str, ...]) -> tuple[str, ...] | None:
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


class Normalizer:
    """Maps free-text terms to skills of one :class:`Taxonomy`.

    Building indexes every name and alias: O(total aliases). ``normalize`` is O(1)
    for repeated terms (cache) and for exact hits; a miss costs one rapidfuzz scan
    of the alias keys (C speed, well under a millisecond for a few thousand keys).
    """

    #: shortest key (letters, spaces removed) that typo tolerance applies to: below
    #: it, one edit more often makes another word than a misspelling
    TYPO_MIN_LEN = 5
    #: a single word this long may be two edits away
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
        # keys implied by display names, where no label already claims them and
        # no two skills imply the same one
        derived: dict[str, str | None] = {}
        for skill in taxonomy:
            for cand in {n for name in (skill.name_en, skill.name_vi) for n in derived_names(name)}:
                key = " ".join(term_tokens(cand))
                if key in spaced:
                    continue
                derived[key] = skill.id if derived.get(key, skill.id) == skill.id else None
                if cand.isascii():
                    ascii_keys.add(key)
                else:
                    vi_keys.add(key)
        for key, sid in derived.items():
            if sid is not None:
                spaced[key] = sid
                if key.count(" ") == 0 and len(key) <= 2:
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
        # grouped by first letter, which a typo must keep: a scan only meets
        # candidates it could accept
        by_first: dict[str, tuple[list[str], list[str]]] = {}
        for k in self._fuzzy_keys:
            keys, ids = by_first.setdefault(k[0], ([], []))
            keys.append(k)
            ids.append(self._compact[k])
        self._fuzzy_by_first = by_first
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
        """The steps of the module docstring, in order; the first hit wins."""
        toks = term_tokens(term)
        if not toks:
            return None, 0.0
        sid = self.lookup(" ".join(toks))
        if sid:
            return sid, 1.0
        versionless = _strip_versions(_drop_durations(_drop_inner_fillers(toks)))
        forms = [versionless, *_filler_variants(versionless)]
        for form in forms:
            for cand in (
                form,
                _singular(form),
                _plural(form),
                _js_variant(form),
                _role_variant(form),
                # not once a suffix went: "ms windows [server]" is not "microsoft windows"
                _vendor_variant(form) if form == versionless[-len(form) :] else None,
            ):
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
        # skills inside a longer phrase: from the words as written (a corrected
        # word may be a real word pulled onto a product name, "informatics")
        accented = _accented(term)
        return self._inside(versionless, accented if len(accented) == len(toks) else ())

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
        if len(key) == self.TYPO_MIN_LEN - 1 and key.isalpha():
            # a swap of two neighbours keeps every letter ("hmtl"), unlike a
            # changed letter ("work" / "word")
            swaps = {
                self._compact.get(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
                for i in range(1, len(key) - 1)
            }
            swaps.discard(None)
            if len(swaps) == 1 and key not in self._vocab_set:
                return swaps.pop(), 0.8
        bucket = self._fuzzy_by_first.get(key[0])
        if len(key) < self.TYPO_MIN_LEN or bucket is None:
            return None, 0.0
        keys, key_ids = bucket
        max_dist = 2 if len(toks) == 1 and len(key) >= self.TYPO_LONG_LEN else 1
        found = process.extract(key, keys, scorer=OSA.distance, score_cutoff=max_dist, limit=5)
        if not found:
            return None, 0.0
        best = min(d for _, d, _ in found)
        ids = {key_ids[i] for _, d, i in found if d == best}
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
        vendor_at = -1  # index in found of a bare vendor name ("oracle", "sap")
        i = 0
        n = len(toks)
        while i < n:
            for size in range(min(self._max_ngram, n - i), 0, -1):
                key = " ".join(toks[i : i + size])
                if (
                    key in self._weak
                    or key in _GENERIC_INSIDE
                    or (size == 1 and accented and accented[i] and key in self._ascii_only)
                ):
                    continue
                sid = self.lookup(key)
                if not sid and size == 1 and len(key) > 4 and key.endswith("js"):
                    # "javascript reactjs": the library written with its "js"
                    sid = self.lookup(key[:-2])
                if not sid and size > 1 and (plural := _plural(toks[i : i + size])):
                    # "sap crystal report": a name written in the plural
                    sid = self.lookup(" ".join(plural))
                if sid:
                    if (
                        vendor_at >= 0
                        and vendor_at == len(found) - 1
                        and len(key.replace(" ", "")) >= 4
                        and self._specificity(sid) >= _SPECIFICITY["tool"]
                    ):
                        # "oracle obiee", "sap crystal reports": the vendor names
                        # the product that follows it, not a skill of its own (but
                        # "adobe creative" is not creativity)
                        found.pop()
                    vendor_at = len(found) if size == 1 and key in _VENDORS else -1
                    found.append(sid)
                    i += size
                    break
            else:
                vendor_at = -1
                i += 1
        distinct = list(dict.fromkeys(found))
        if not distinct:
            return None, 0.0
        if len(distinct) == 1:
            return distinct[0], 0.8
        top = max(self._specificity(sid) for sid in distinct)
        return [sid for sid in distinct if self._specificity(sid) == top][-1], 0.6

    def _specificity(self, skill_id: str) -> int:
        """Rank of the skill's category in ``_SPECIFICITY`` (higher = narrower)."""
        skill = self.taxonomy.get(skill_id)
        return _SPECIFICITY.get(skill.category, 0) if skill else 0


@lru_cache(maxsize=1)
def _default_normalizer() -> Normalizer:
    return Normalizer(load_taxonomy())
