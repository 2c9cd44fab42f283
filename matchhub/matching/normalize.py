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

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from matchhub.matching.taxonomy import Taxonomy, load_taxonomy
from matchhub.matching.variants import (
    accented,
    derived_names,
    drop_durations,
    drop_inner_fillers,
    drop_leading_numbers,
    english_shaped,
    filler_variants,
    js_variant,
    plural,
    rephrase,
    rephrased_accents,
    role_variant,
    singular,
    skeleton,
    strip_versions,
    term_tokens,
    unglued,
    vendor_variant,
)
from matchhub.matching.wordlists import GENERIC_INSIDE, SPECIFICITY, VENDORS, WHOLE_TERMS

__all__ = ["Normalized", "Normalizer", "derived_names", "term_tokens"]


@dataclass(frozen=True, slots=True)
class Normalized:
    """The outcome for one term: the skill id (``None`` when unknown) and a
    confidence in ``[0, 1]`` (1.0 = exact alias, lower for looser steps)."""

    term: str
    skill_id: str | None
    score: float


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
    #: a word cut short names a product when it keeps this many letters and share
    TRUNCATED_MIN_LEN = 6
    TRUNCATED_SHARE = 0.7

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
            # a product's Vietnamese name is its English one: derive once
            names = {skill.name_en, skill.name_vi}
            for cand in {n for name in names for n in derived_names(name)}:
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
        self._sorted_fuzzy = sorted(self._fuzzy_keys)
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
                # without spaces: a lost vowel can take its syllable's space with
                # it ("làm vi c nhóm")
                sk = skeleton(key)
                if len(sk) >= 6:
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
        plain = drop_leading_numbers(drop_durations(drop_inner_fillers(toks)))
        versionless = strip_versions(plain)
        stripped = filler_variants(versionless)
        forms = [versionless, *stripped]
        # the term in the taxonomy's words ("xây dựng trang web" -> "phat trien web")
        # first, then the words as written, then either without fillers; read with
        # its versions, which may name an edition ("windows 2008" is the server)
        rephrased = rephrase(plain)
        rephrased = versionless if rephrased is plain else strip_versions(rephrased)
        if rephrased != versionless:
            forms = [rephrased, *filler_variants(rephrased), *forms]
        for form in forms:
            for cand in self._variants(form, toks, versionless, rephrased):
                if cand and cand != toks:
                    sid = self.lookup(" ".join(cand))
                    if sid:
                        return sid, 0.95
        shortest = stripped[-1] if stripped else versionless
        for form in (shortest, singular(shortest)):
            # a typo and a plural at once: "boostraps"
            sid, score = self._typo(form, term) if form else (None, 0.0)
            if sid:
                return sid, score
        sid = self._truncated(shortest)
        if sid:
            return sid, 0.8
        glued = unglued(shortest, self._vocab_set)
        if glued:
            # read as the two words it runs together, when they name the skill
            # outright (not several), it is no soft skill ("weblogic" is not web +
            # logic), and a part that names it is no three-letter English word shape
            # (consonant-vowel-consonant: "net", "win" in "testnet", "winword"),
            # while acronyms are fine ("phpdesigner", "openerp")
            hit = self.normalize(glued[0])
            if (
                hit.score >= 0.8
                and self._specificity(hit.skill_id) > 0
                and any(self.lookup(p) == hit.skill_id and not english_shaped(p) for p in glued[1])
            ):
                return hit.skill_id, 0.8
        # a lost vowel leaves an unknown word or a stray letter ("vi c" for "việc")
        if len(versionless) > 1 and any(
            t not in self._vocab_set or len(t) == 1 for t in versionless
        ):
            for form in forms:
                sid = self._skeletons.get(skeleton(" ".join(form)))
                if sid:
                    return sid, 0.7
        corrected = self._correct_words(versionless)
        if corrected != versionless:
            for form in (corrected, *filler_variants(corrected)):
                for cand in self._variants(form, corrected, corrected, corrected):
                    if cand and (sid := self.lookup(" ".join(cand))):
                        return sid, 0.8
        # skills inside a longer phrase: from the words as written (a corrected
        # word may be a real word pulled onto a product name, "informatics")
        written = accented(term)
        sid, score = self._inside(versionless, written if len(written) == len(toks) else ())
        if sid is None and rephrased != versionless:
            # with the accents as written: "xây dựng hình ảnh" is no English
            flags = rephrased_accents(plain, written) if len(toks) == len(plain) else ()
            sid, score = self._inside(rephrased, flags)
        return sid, score

    @staticmethod
    def _variants(
        form: tuple[str, ...],
        toks: tuple[str, ...],
        versionless: tuple[str, ...],
        rephrased: tuple[str, ...],
    ) -> Iterator[tuple[str, ...] | None]:
        """The spellings of one form to look up, strictest first; lazy, since most
        terms hit on the form itself."""
        yield form
        # only what ends the term: "web" in "quản trị web", not in "web server"
        if form[-1] in (versionless[-1], rephrased[-1]):
            whole = WHOLE_TERMS.get(" ".join(form))
            yield tuple(whole.split()) if whole else None
        yield singular(form)
        yield plural(form)
        yield js_variant(form)
        yield role_variant(form)
        if form == versionless and len(form) == 2 and "".join(form).isascii():
            # two English words the other way round: "c objective", "test unit"
            yield form[::-1]
        if form == versionless[-len(form) :]:
            # not once a suffix went: "ms windows [server]" is not "microsoft windows"
            yield vendor_variant(form)

    def _truncated(self, toks: tuple[str, ...]) -> str | None:
        """The one long product name a single word cuts short ("postgre" ->
        PostgreSQL): at least ``TRUNCATED_MIN_LEN`` letters and ``TRUNCATED_SHARE``
        of the name, and no other name starting the same way. Not a known word
        ("micro", "data"), and English/product keys only, like typos."""
        if len(toks) != 1:
            return None
        word = toks[0]
        n = len(word)
        if n < self.TRUNCATED_MIN_LEN or not word.isalpha() or word in self._vocab_set:
            return None
        ids = set()
        # the names starting with the word sit together in the sorted keys
        keys = self._sorted_fuzzy
        for i in range(bisect_left(keys, word), len(keys)):
            if not keys[i].startswith(word):
                break
            if n >= self.TRUNCATED_SHARE * len(keys[i]):
                ids.add(self._compact[keys[i]])
        return ids.pop() if len(ids) == 1 else None

    def _correct_words(self, toks: tuple[str, ...]) -> tuple[str, ...]:
        """Replace each unknown word by the one alias word within one edit (two for
        long words), when exactly one such word exists ("sever" -> "server"); a
        word under five letters only by two swapped neighbours ("slq")."""
        if len(toks) < 2:
            return toks
        out = list(toks)
        for i, tok in enumerate(toks):
            if tok in self._vocab_set or not tok.isalpha() or len(tok) < 3:
                continue
            if len(tok) < self.TYPO_MIN_LEN:
                # a short word only by swapping two neighbours ("slq server"), and
                # only into one known word; the caller still needs the whole
                # corrected term to be a key
                swaps = {tok[:j] + tok[j + 1] + tok[j] + tok[j + 2 :] for j in range(len(tok) - 1)}
                swaps &= self._vocab_set
                if len(swaps) == 1:
                    out[i] = swaps.pop()
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

    def _typo(self, toks: tuple[str, ...], term: str = "") -> tuple[str | None, float]:
        """One alias within a small edit distance of the whole term, and one skill.

        One edit (two for a single long word); the first letter must agree: a typo
        rarely hits it, while "java structure" / "data structure" differ exactly there.
        Never on a short key (one edit from "Go" is "Git"); a four-letter key only by
        swapping two neighbours, and not when ``term`` (as written) is in capitals: an
        acronym is spelt on purpose ("CNCP" is not "CCNP"). Words of a multi-word term
        are corrected in ``_correct_words``.
        """
        key = "".join(toks)
        if len(key) == self.TYPO_MIN_LEN - 1 and key.isalpha() and not term.isupper():
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
        unversioned = strip_versions(toks)
        if len(unversioned) != len(toks):
            accented = ()
        toks = unversioned
        found: list[str] = []
        vendor_at = -1  # index in found of a bare vendor name ("oracle", "sap")
        i = 0
        n = len(toks)
        while i < n:
            for size in range(min(self._max_ngram, n - i), 0, -1):
                key = " ".join(toks[i : i + size])
                if (
                    key in self._weak
                    or key in GENERIC_INSIDE
                    or (size == 1 and accented and accented[i] and key in self._ascii_only)
                ):
                    continue
                sid = self.lookup(key)
                if not sid and size == 1 and len(key) > 4 and key.endswith("js"):
                    # "javascript reactjs": the library written with its "js"
                    sid = self.lookup(key[:-2])
                if not sid and size > 1 and (plural_ := plural(toks[i : i + size])):
                    # "sap crystal report": a name written in the plural
                    sid = self.lookup(" ".join(plural_))
                if sid:
                    if (
                        vendor_at >= 0
                        and vendor_at == len(found) - 1
                        and len(key.replace(" ", "")) >= 4
                        and self._specificity(sid) >= SPECIFICITY["tool"]
                    ):
                        # "oracle obiee", "sap crystal reports": the vendor names
                        # the product that follows it, not a skill of its own (but
                        # "adobe creative" is not creativity)
                        found.pop()
                    vendor_at = len(found) if size == 1 and key in VENDORS else -1
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
        """Rank of the skill's category in ``SPECIFICITY`` (higher = narrower)."""
        skill = self.taxonomy.get(skill_id)
        return SPECIFICITY.get(skill.category, 0) if skill else 0


@lru_cache(maxsize=1)
def _default_normalizer() -> Normalizer:
    return Normalizer(load_taxonomy())
