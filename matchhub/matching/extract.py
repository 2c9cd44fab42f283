"""Find skill mentions in free text (CVs, order descriptions; Vietnamese or English).

The text is folded character by character (keeping a map back to the original
offsets), cut into tokens, and scanned left to right for the longest token n-gram
that is a taxonomy alias. Prose is harder than a skills list, so these guards
apply on top of the taxonomy's aliases:

* aliases that are ordinary words in prose ("go", "swift", "excel", "spring",
  "teams", one- and two-letter names such as "c", "r", "ai", "ba") only count when
  the original is capitalised ("Go", "Excel", "BA"); bare letters ("C", "R")
  also need list context (``C/C++``, ``R, Python``, ``ngôn ngữ C``);
* one-syllable Vietnamese aliases ("mạng", "nhúng") and a few generic words are
  never matched in prose: folded, they collide with common words ("mang lại");
* an accented text must spell a Vietnamese alias with its vowels ("tuân thủ kỷ
  luật" is not "thư ký"), tone-mark placement aside;
* an n-gram never runs over list punctuation ("AWS (EC2" is two mentions), and
  aliases that join two skills ("HTML/CSS") give two mentions;
* ``net`` alone is .NET only as ``.NET``;
* an ASCII alias never matches an accented Vietnamese syllable ("Lựa" is not Lua,
  "Gỡ rối" is not Go, "Bá" is not BA): only aliases spelt with Vietnamese letters may;
* academic titles are not skills: "TS" is TypeScript only in a list of code names,
  never after "chức danh", "PGS." or before "TS. Nguyễn …";
* the words around an alias can give it another meaning ("ô tô mát" is an automaton,
  "ngân hàng câu hỏi" a question bank, "Khoa học máy tính" not "học máy"): the
  collocations of ``matchhub/data/extract_context.json``.

Every mention carries a ``confidence`` (0..1) and the ``evidence`` sentence it came
from, set by the context rules of :mod:`matchhub.matching.extract_context` (the part
of the document it sits in, a degree's field of study, generic and weak aliases).
:meth:`Extractor.suggest` folds the mentions into one :class:`Suggestion` per skill;
those at or above :data:`PRETICK` are the ones a form pre-ticks.

Every mention's ``start``/``end`` index into the caller's original string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from matchhub.matching.extract_context import Sentences, rules
from matchhub.matching.normalize import Normalizer, term_tokens
from matchhub.matching.text import fold, fold_with_offsets, token_spans, tokens

__all__ = ["KINDS", "PRETICK", "SUGGEST_MIN", "Extractor", "Mention", "Suggestion"]

#: What a text is: the context rules differ a little between a syllabus and the rest.
KINDS = ("text", "syllabus", "posting")
#: A suggestion at least this confident is pre-ticked on a form.
PRETICK = 0.7
#: Below this a mention is not worth suggesting at all.
SUGGEST_MIN = 0.4


_PROSE = rules().prose
#: Aliases that are everyday words in English prose: they need a capital letter in
#: the original ("Go", "Excel", "Spring").
_CASE_WORDS = _PROSE["case_words"]
#: Short aliases that are unambiguous in prose even in lower case.
_SAFE_SHORT = _PROSE["safe_short"]
#: Aliases never matched in prose: folded, they are common words or too vague.
_PROSE_BLOCK = _PROSE["block"]
#: Words around "communication" that make it machines talking, not a soft skill
#: ("inter-process communication", "communication hub", "communication technology").
_TECH_BEFORE_COMMUNICATION = _PROSE["communication_tech_before"]
_TECH_AFTER_COMMUNICATION = _PROSE["communication_tech_after"]
#: Tokens right before a bare one-letter name that make it a language ("ngôn ngữ C").
_LETTER_LEADS = _PROSE["letter_leads"]
_LIST_PUNCT = set(",/();&|:+")
_JOINERS = frozenset({"", ".", "-", "/", "_", "'"})
_TRAILING_DIGITS_RE = re.compile(r"^([a-z][a-z+#]*?[a-z+#])\d+(?:\.\d+)*$")


#: What may stand between two products of one list, and what makes them a choice.
_RUN_GAP_RE = re.compile(r"^[\s,;/()]*(?:(?:hoac|or|va|and)[\s,;/()]*)?$")
_ALTERNATIVE_RE = re.compile(r"^[\s,;/()]*(?:hoac|or)[\s,;/()]*$")

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _toneless(text: str) -> str:
    """Lower-case tokens, each syllable's tone mark moved to its end ("Thư Ký" -> "thư
    ky\u0301", "hoà"/"hòa" -> "hoa\u0300"): tone-placement variants agree, while words
    that differ by a tone ("viên"/"viễn", "vị"/"vi") or a vowel ("thủ kỷ") do not."""
    out = []
    for tok in tokens(unicodedata.normalize("NFC", text.lower())):
        decomposed = unicodedata.normalize("NFD", tok)
        marks = "".join(sorted(c for c in decomposed if c in _TONE_MARKS))
        kept = "".join(c for c in decomposed if c not in _TONE_MARKS)
        out.append(unicodedata.normalize("NFC", kept) + marks)
    return " ".join(out)


def _neighbour(text: str, pos: int, step: int) -> str:
    """The first non-space character from ``pos`` walking by ``step`` ("" at an end)."""
    while 0 <= pos < len(text):
        if not text[pos].isspace():
            return text[pos]
        pos += step
    return ""


def _accented(span: str) -> bool:
    """Whether ``span`` holds a letter with a diacritic or ``đ`` (a Vietnamese syllable)."""
    return any(
        not c.isascii() and (c in "đĐ" or unicodedata.normalize("NFD", c) != c) for c in span
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a skill in a text: ``text[start:end]`` is ``text``;
    ``confidence`` (0..1) how sure the context makes it, ``evidence`` its sentence."""

    skill_id: str
    start: int
    end: int
    text: str
    confidence: float = 1.0
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One skill found in a text: the best of its mentions, with a small bonus for
    repetition; ``evidence`` is the sentence of that best mention."""

    skill_id: str
    confidence: float
    evidence: str
    mentions: int

    @property
    def pre_ticked(self) -> bool:
        """Whether a form ticks it for the user (they still confirm)."""
        return self.confidence >= PRETICK


class Extractor:
    """Finds :class:`Mention` s of one normaliser's taxonomy in free text.

    ``extract`` is O(n) in the text's length: per token, one set lookup per word
    an alias could still grow by, then a dict lookup per candidate length (aliases
    have a few words at most). No fuzzy matching happens in prose, where a
    near-miss is far more often a different word than a typo.
    """

    def __init__(self, normalizer: Normalizer):
        """Build the prose index from the normaliser's taxonomy."""
        self.normalizer = normalizer
        self._category = {skill.id: skill.category for skill in normalizer.taxonomy}
        self._soft = {sid for sid, cat in self._category.items() if cat == "transversal"}
        index: dict[str, str] = {}
        surfaces: dict[str, set[str]] = {}
        for skill in normalizer.taxonomy:
            for label in skill.labels():
                toks = term_tokens(label)
                if not toks:
                    continue
                key = " ".join(toks)
                if key in _PROSE_BLOCK:
                    continue
                # a one-syllable Vietnamese alias folds onto everyday words
                if len(toks) == 1 and not label.isascii():
                    continue
                index.setdefault(key, skill.id)
                if not label.isascii():
                    surfaces.setdefault(key, set()).add(_toneless(label))
        self._index = index
        # Vietnamese aliases, with tone marks dropped but vowel letters kept: an
        # accented text must spell them ("thư ký", not "tuân thủ kỷ luật")
        self._surfaces = {k: frozenset(v) for k, v in surfaces.items()}
        # ".NET" is the one alias that a leading dot distinguishes from a word
        self._dotnet = normalizer.lookup("net")
        self._prefixes = frozenset(
            " ".join(k.split()[:j]) for k in index for j in range(2, k.count(" ") + 2)
        )

    @classmethod
    def default(cls) -> Extractor:
        """The shared extractor over the shipped taxonomy (built once)."""
        return _default_extractor()

    def extract(self, text: str, kind: str = "text") -> list[Mention]:
        """All skill mentions in ``text``, in order of appearance, one per occurrence,
        each with its confidence and evidence sentence. ``kind`` is one of
        :data:`KINDS` ("syllabus" applies the generic-skill and example rules).
        Mentions the context rules rule out (a lecturer's title, a benefit) are left out."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if not text:
            return []
        ctx = rules()
        zones = ctx.zones(text, kind)
        sentences = Sentences(text)
        folded, offsets = fold_with_offsets(text)
        toks = token_spans(folded)
        words = [t for t, _, _ in toks]
        # n-grams may run over spaces, dots, hyphens and slashes ("Node.js",
        # "CI/CD") but not over list or sentence punctuation ("AWS (EC2")
        # nor over a line break: list items and headings end there ("operations\n
        # Research skills" is not operations research)
        joins = [
            folded[toks[k][2] : toks[k + 1][1]].strip() in _JOINERS for k in range(len(toks) - 1)
        ]
        if "\n" in text:
            for k in range(len(toks) - 1):
                if joins[k] and "\n" in text[offsets[toks[k][2]] : offsets[toks[k + 1][1]]]:
                    joins[k] = False
        out: list[Mention] = []
        i, n = 0, len(toks)
        while i < n:
            match = self._match_at(text, folded, offsets, toks, words, joins, i)
            if match is None:
                i += 1
                continue
            sid, j = match
            key = " ".join(words[i:j])
            other, instead = ctx.collocation(key, words[max(0, i - 3) : i], words[j : j + 3])
            if other and instead is None:
                i = j
                continue
            if self._ruled_out(sid, text, folded, offsets, toks, words, i, j) or (
                key in ctx.product_suffixes
                and out
                and not text[out[-1].end : offsets[toks[i][1]]].strip(" \t")
            ):
                # "MapReduce API": the named product's interface, not a skill of its own
                i = j
                continue
            sid = instead or sid
            fs = toks[i][1]
            if sid == self._dotnet and folded[fs - 1 : fs] == ".":
                fs -= 1  # keep the dot of ".NET"
            start = offsets[fs]
            end = offsets[toks[j - 1][2] - 1] + 1
            span = (start, end)
            sid = ctx.testing_variant(sid, folded[slice(*sentences.bounds(start))])
            confidence = self._confidence(text, kind, key, sid, j - i, span, zones, sentences)
            if confidence > 0:
                evidence = sentences.evidence(start, end)
                out.append(Mention(sid, start, end, text[start:end], confidence, evidence))
            i = j
        if kind == "syllabus":
            out = self._surveys(out, zones, sentences)
            out = self._alternatives(out, text)
        return rules().soft_facets(text, out, self._soft)

    def _ruled_out(self, sid, text, folded, offsets, toks, words, i, j) -> bool:
        """Whether the alias ``words[i:j]`` names something else in this place."""
        before, after = folded[toks[i][1] - 1 : toks[i][1]], folded[toks[j - 1][2] :][:1]
        if before == "{" and after == "}":
            return True  # a markup artefact ("{html}"), not prose
        if "certified" in words[max(0, i - 2) : i] and self._category.get(sid) != "cloud-devops":
            return True  # "AWS Certified Data Analytics": a certificate's name, not a skill
        gap = text[offsets[toks[i][2] - 1] + 1 : offsets[toks[j][1]]] if j < len(toks) else ""
        if j - i == 1 and words[i] in rules().vendor_words and gap and not gap.strip(" \t"):
            nxt = text[offsets[toks[j][1]]]
            # "Apache Trafodion", "Oracle NoSQL": another product of the vendor
            return nxt.isalpha() and nxt.isupper()
        return False

    def _surveys(self, mentions, zones, sentences) -> list[Mention]:
        """Mentions in a syllabus's survey lists (see ``ContextRules.surveys``) count for less."""
        ctx = rules()
        listed = [
            (sentences.bounds(m.start), m.skill_id)
            for m in mentions
            if self._category.get(m.skill_id) in ctx.survey_categories
            and zones.at(m.start)[0] != "outcomes"
        ]
        crowded = ctx.surveys(listed, sentences.text)
        if not crowded:
            return mentions
        return [
            replace(m, confidence=round(m.confidence * 0.6, 3))
            if (sentences.bounds(m.start), m.skill_id) in crowded
            else m
            for m in mentions
        ]

    def _alternatives(self, mentions, text) -> list[Mention]:
        """Products a syllabus offers as alternatives ("thực hành trên MySQL, MS SQL hoặc
        PostgreSQL", "C++ or Java") are options, of which a class uses one: each counts
        for less (shown, not pre-ticked), unless named again elsewhere. A run is products
        one after another, apart only by spaces and list punctuation, and it is a choice
        when "hoặc" / "or" joins two of them."""
        ctx = rules()
        out = list(mentions)
        run: list[int] = []

        def close() -> None:
            if len(run) > 1 and any(
                _ALTERNATIVE_RE.match(fold(text[out[a].end : out[b].start]))
                for a, b in pairwise(run)
            ):
                for k in run:
                    out[k] = replace(out[k], confidence=round(out[k].confidence * 0.6, 3))
            run.clear()

        for k, m in enumerate(mentions):
            if self._category.get(m.skill_id) not in ctx.survey_categories:
                close()
                continue
            if run and not _RUN_GAP_RE.match(fold(text[mentions[run[-1]].end : m.start])):
                close()
            run.append(k)
        close()
        return out

    def suggest(self, text: str, kind: str = "text") -> list[Suggestion]:
        """One :class:`Suggestion` per skill of ``text`` worth suggesting (confidence at
        least :data:`SUGGEST_MIN`), in order of first appearance. O(length of the text)."""
        best: dict[str, Mention] = {}
        count: dict[str, int] = {}
        for m in self.extract(text, kind):
            count[m.skill_id] = count.get(m.skill_id, 0) + 1
            if m.skill_id not in best or m.confidence > best[m.skill_id].confidence:
                best[m.skill_id] = m
        out = []
        for sid, m in best.items():
            # a skill named again and again is likelier taught, but repetition never
            # turns a weak alias into a sure one on its own
            confidence = round(min(0.99, m.confidence + 0.05 * min(count[sid] - 1, 2)), 3)
            if sid in rules().generic_skills:
                confidence = min(confidence, 0.6)  # shown when named, never pre-ticked
            if confidence >= SUGGEST_MIN:
                out.append(Suggestion(sid, confidence, m.evidence, count[sid]))
        return out

    def _confidence(self, text, kind, key, sid, size, span, zones, sentences) -> float:
        """How sure the context makes one mention: alias strength times zone weight,
        0 where the rules rule it out."""
        ctx = rules()
        start, end = span
        zone, weight = zones.at(start)
        if weight <= 0:
            return 0.0
        base = 0.9
        category = self._category.get(sid, "")
        if zone == "schedule" and category not in ctx.broad_categories:
            # the weekly schedule names the technologies practised each week ("Thực hành
            # lập trình C trên ARM"), as the chapter list does; its methods and soft
            # skills stay low (activities: "thảo luận nhóm", "báo cáo tiến độ")
            weight = ctx.zone_weight("content")
        if key in ctx.weak_aliases or (kind == "syllabus" and key in ctx.syllabus_weak_aliases):
            # an everyday word counts when a learning outcome states it ("CLO5 … chịu
            # trách nhiệm"), not when the prose merely uses it ("báo cáo tiến độ")
            outcome = sentences.states_outcome(start) and not sentences.opens_outcome(start)
            base = 0.8 if outcome else 0.55
        elif size == 1 and (key in _CASE_WORDS or (len(key) <= 3 and key not in _SAFE_SHORT)):
            base = 0.75
        if kind == "syllabus" and key in ctx.syllabus_activity_aliases:
            # "Phát triển ứng dụng web", "xây dựng ứng dụng đồ họa": what students build,
            # which every course does; low enough that repetition never pre-ticks it
            base = min(base, 0.55)
        if kind == "syllabus" and category == "language":
            if _neighbour(text, end, 1) == ":":
                return 0.0  # a field label: "Tiếng Anh: Software Engineering"
            if zone != "outcomes":
                # a chapter line names a language as what is studied ("Hình thái tiếng
                # Anh", "Entropy của tiếng Anh"); a course teaches using it where its
                # objectives or outcomes say so ("Sử dụng tiếng Anh để đọc tài liệu")
                base = min(base, 0.6)
        if sid in ctx.generic_skills:
            if kind == "syllabus" and zone != "outcomes":
                return 0.0
            base = min(base, 0.6)
        if kind == "syllabus" and category == "transversal" and zone not in ("outcomes", "content"):
            return 0.0  # "tự học bắt buộc", "báo cáo tiến độ": the schedule, not an outcome
        if kind == "syllabus" and category == "transversal" and zone == "content":
            base *= 0.8  # a chapter list names activities ("thảo luận nhóm"), rarely outcomes
        elif (
            kind == "syllabus"
            and zone == "content"
            and category in ctx.broad_categories
            and _accented(text[start:end])
            and not sentences.is_item(start, end)
        ):
            # a broad skill in everyday Vietnamese words inside a longer chapter line ("Mô
            # hình dữ liệu hướng đối tượng", "cơ chế bắt và xử lý lỗi") is often a passing
            # topic: below the pre-tick line once, above it when repeated or stated as an
            # outcome. A chapter item that is the skill itself ("Mẫu thiết kế") counts.
            base = min(base, 0.78)
        # the clause so far, from the sentence's start or from the outcome code that
        # opens this outcome in a flattened table ("… CLO4 Áp dụng … vào … CLO5 …")
        before = fold(text[sentences.clause_start(start) : start])
        if sid in ctx.field_skills and ctx.clause_has(before, ctx.field_cues):
            return 0.0  # "tốt nghiệp chuyên ngành CNTT": a degree, not a skill
        if kind == "syllabus" and ctx.clause_has(before, ctx.prerequisite_cues):
            return 0.0  # "Học phần tiên quyết: Lập trình hướng đối tượng": another course
        cues = ctx.sense_cues.get(key)
        # the sense shows in the words around, which in a chapter list are the lines
        # next to it ("An ninh … Xác thực … Mã hóa"): a window, not the sentence
        if cues and not ctx.clause_has(fold(text[max(0, start - 200) : end + 200]), cues):
            base *= 0.6  # "mã hoá tiếng nói" is coding, not encryption
        if kind == "syllabus":
            stated = start < text.find("\n") or sentences.states_outcome(start)
            base = ctx.in_syllabus(base, sid, category, before, stated)
        return round(base * weight, 3)

    def _match_at(self, text, folded, offsets, toks, words, joins, i):
        """Longest alias starting at token ``i``: ``(skill_id, end token)`` or None."""
        n = len(toks)
        # grow the n-gram only while it is the start of some alias (one set lookup
        # per token instead of one dict lookup per possible length)
        limit = 1
        key = words[i]
        while i + limit < n and joins[i + limit - 1]:
            key = key + " " + words[i + limit]
            if key not in self._prefixes:
                break
            limit += 1
        for size in range(limit, 0, -1):
            key = " ".join(words[i : i + size])
            sid = self._index.get(key)
            if sid is None and size == 1:
                m = _TRAILING_DIGITS_RE.match(key)  # "php7", "html5", "angular2"
                if m:
                    key = m.group(1)
                    sid = self._index.get(key)
            if sid is None and size == 1 and key == "net" and self._dotnet:
                fs = toks[i][1]
                if folded[fs - 1 : fs] == "." and not folded[fs - 2 : fs - 1].isalnum():
                    return self._dotnet, i + 1
            if sid is None:
                continue
            if size == 1 and not self._single_ok(key, text, folded, offsets, toks, words, i):
                continue
            span = text[offsets[toks[i][1]] : offsets[toks[i + size - 1][2] - 1] + 1]
            if key in self._surfaces:
                if not span.isascii() and _toneless(span) not in self._surfaces[key]:
                    continue
            elif _accented(span):
                continue  # an ASCII alias is not a Vietnamese syllable ("Lựa" is not Lua)
            return sid, i + size
        return None

    def _single_ok(self, key, text, folded, offsets, toks, words, i) -> bool:
        """Guards for a one-token alias in prose."""
        _, fs, fe = toks[i]
        original = text[offsets[fs] : offsets[fe - 1] + 1]
        ambiguous = key in _CASE_WORDS or (len(key) <= 3 and key not in _SAFE_SHORT)
        if ambiguous and original == original.lower():
            return False
        if key in rules().syllable_acronyms and not original.isupper():
            return False  # "Phần Lan", "lan truyền": a Vietnamese syllable, not LAN
        if key in rules().academic_titles and not (
            original.isupper() and self._code_not_title(folded, words, i, fs, fe)
        ):
            return False
        if len(key) == 1:
            if folded[fe : fe + 1] == "&" and folded[fe + 1 : fe + 2].isalnum():
                return False  # "R&D", "AT&T"
            before = _neighbour(folded, fs - 1, -1)
            after = _neighbour(folded, fe, 1)
            listed = before in _LIST_PUNCT or after in _LIST_PUNCT
            led = i > 0 and words[i - 1] in _LETTER_LEADS
            # "C." / "R." ends a sentence as often as it ends a list
            if not (listed or led) or folded[fe : fe + 1] in {"'", "-"}:
                return False
        if key == "communication" and (
            (i > 0 and words[i - 1] in _TECH_BEFORE_COMMUNICATION)
            or (i + 1 < len(words) and words[i + 1] in _TECH_AFTER_COMMUNICATION)
        ):
            return False
        if key == "go":
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt in {"to", "live", "ahead", "through", "beyond", "back", "out"}:
                return False
        return True

    def _code_not_title(self, folded, words, i, fs, fe) -> bool:
        """A token that is also an academic title ("TS" = tiến sĩ) counts as a code name
        only in upper case, in a list of names, and away from a title's context."""
        ctx = rules()
        prev = words[max(0, i - 2) : i]
        if any(" ".join(prev[k:]) in ctx.title_leads for k in range(len(prev))):
            return False  # "chức danh: TS"
        if i > 0 and words[i - 1] in ctx.academic_titles:
            return False  # "PGS.TS", "PGS. TS"
        if folded[fe : fe + 1] == ".":
            return False  # "TS. Nguyễn Văn A"
        before = _neighbour(folded, fs - 1, -1)
        after = _neighbour(folded, fe, 1)
        return bool({before, after} & (_LIST_PUNCT - {":"}))


@lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    return Extractor(Normalizer.default())
