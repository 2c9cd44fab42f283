"""Where a skill mention sits in a text, and how much to trust it there.

The extractor finds aliases; these rules decide what each find is worth. A real
syllabus names its lecturers' titles ("TS."), its prerequisites, its textbooks and
its teaching platform as well as what it teaches, and a posting names the degree's
field, the company and the benefits as well as what it asks for. The rules here are
linguistic and structural, not per-text patches, and their word lists live in
``matchhub/data/extract_context.json``:

* **zones**: a heading ("# 7. học liệu", "Quyền lợi:") sets a weight for what
  follows, 0 for lecturers and benefits, low for references, schedule and
  assessment, full for objectives, outcomes, summary and requirements;
* **field of study**: after "tốt nghiệp chuyên ngành" / "degree in" a field
  ("Công nghệ thông tin", "Computer Science") is an education requirement, not a skill;
* **generic skills** (IT, computer science, teaching, Vietnamese, the teaching
  platform) count in a syllabus only where it states its objectives and outcomes;
* **examples and prerequisites**: in a syllabus, a domain named as an application
  ("ứng dụng trong các lĩnh vực như tài chính"), anything after "ví dụ" / "case
  study", and the prerequisite courses are not taught;
* **survey lists**: a syllabus sentence naming many products surveys them;
* **weak aliases** (everyday words such as "báo cáo", "độc lập") are suggested but
  pre-ticked only where a learning outcome ("CLO5 …") states them;
* **activities**: a syllabus says what students build ("phát triển ứng dụng web",
  "xây dựng ứng dụng"); that names no method of its own (the development life cycle
  is taught where its process is named), so such aliases are shown, never pre-ticked;
* **testing variants**: "mobile" / "security" in a sentence about testing are
  mobile / security testing;
* **settings**: in a syllabus, a domain after "trong" / "cho" / "như" ("Phân tích dự
  báo trong tài chính") and any skill after "ứng dụng … trong" is where something is
  applied; a discipline ("toán học") counts when the title or an outcome names it;
* **senses**: an alias with two senses ("mã hoá": encryption or coding) needs the
  words of its sense nearby; an acronym that spells a Vietnamese syllable ("Lan")
  needs capitals;
* **outcomes**: an outcome code ("CLO5") anywhere earlier in a sentence makes it an
  outcome, and the word right after the code is its verb ("CLO3 Minh họa …");
  the words around a mention are read from its own outcome code on, so one outcome
  of a flattened table ("CLO1 Áp dụng … vào …") does not colour the next;
* **alternatives**: products a syllabus offers as a choice ("MySQL, MS SQL hoặc
  PostgreSQL") count for less, as a class uses one of them;
* **languages**: a language named in a chapter line is what is studied ("Hình thái
  tiếng Anh"); a syllabus teaches it where an objective or an outcome says so;
* **broad skills** (methods, domains, design) named in everyday Vietnamese words
  inside a longer chapter line are shown, pre-ticked only when repeated or stated as
  an outcome; a parenthesis after a soft skill lists its facets, not other skills.

Everything is deterministic and O(length of the text).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from matchhub.matching.text import fold

__all__ = ["ContextRules", "Sentences", "Zones", "rules"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "extract_context.json"
#: A heading: a markdown line, or a short line that ends with a colon.
_HEADING_RE = re.compile(r"^[ \t]*(#+[^\n]*|[^\n:]{2,60}:)[ \t]*$", re.MULTILINE)
#: Where a sentence ends: ".", "!", "?", ";" before a space or line end, or a line break.
_SENTENCE_END_RE = re.compile(r"[.!?;](?=\s|$)|\n")
_EVIDENCE_MAX = 220
_WORD_RE = re.compile(r"[a-z0-9]+")
_CAPITALISED_RE = re.compile(r"\b[A-Z][A-Za-z0-9]+")
#: The code that opens a course learning outcome ("CLO3 …", "CLO 1.2: …", "CL07"); a
#: table flattened into prose runs several outcomes into one sentence.
_OUTCOME_RE = re.compile(r"\b(?:CLO|CL0|CĐR|PLO)\s*\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Zones:
    """The zone of every offset of one text: ``starts`` sorted, ``names``/``weights`` aligned."""

    starts: tuple[int, ...]
    names: tuple[str, ...]
    weights: tuple[float, ...]

    def at(self, pos: int) -> tuple[str, float]:
        """(zone name, weight) at offset ``pos``. O(log headings)."""
        k = bisect_right(self.starts, pos) - 1
        return self.names[k], self.weights[k]


class ContextRules:
    """The context word lists, folded once; see the module docstring for what they mean."""

    def __init__(self, data: dict):
        self.zone_words = [
            (name, float(spec["weight"]), tuple(spec["words"]), frozenset(spec["kinds"]))
            for name, spec in data["zones"].items()
            if isinstance(spec, dict)
        ]
        self.prose = {k: frozenset(v) for k, v in data["prose"].items() if k != "about"}
        self.academic_titles = frozenset(data["academic_titles"])
        self.title_leads = tuple(data["title_leads"])
        self.field_cues = tuple(data["field_cues"])
        self.field_skills = frozenset(data["field_skills"])
        self.generic_skills = frozenset(data["generic_skills"])
        self.prerequisite_cues = tuple(data["prerequisite_cues"])
        self.example_cues = tuple(data["example_cues"])
        self.domain_example_cues = tuple(data["domain_example_cues"])
        self.survey_categories = frozenset(data["survey_categories"])
        self.broad_categories = frozenset(data["broad_categories"])
        self.vendor_words = frozenset(data["vendor_words"])
        self.product_suffixes = frozenset(data["product_suffixes"])
        self.weak_aliases = frozenset(data["weak_aliases"])
        self.syllabus_weak_aliases = frozenset(data["syllabus_weak_aliases"])
        self.syllabus_activity_aliases = frozenset(data["syllabus_activity_aliases"])
        self.setting_prepositions = tuple(data["setting_prepositions"])
        self.application_cues = tuple(data["application_cues"])
        self.syllable_acronyms = frozenset(data["syllable_acronyms"])
        self.sense_cues = {k: tuple(v) for k, v in data["sense_cues"].items() if k != "about"}
        self.testing_cues = tuple(data["testing_cues"])
        self.testing_variants = dict(data["testing_variants"])
        self.collocations = {
            key: (
                tuple(tuple(w.split()) for w in spec.get("before", ())),
                tuple(tuple(w.split()) for w in spec.get("after", ())),
                spec.get("instead"),
            )
            for key, spec in data["collocations"].items()
            if isinstance(spec, dict)
        }

    def zone_weight(self, name: str) -> float:
        """The weight of the zone called ``name`` (1.0 if there is none)."""
        return next((w for n, w, _, _ in self.zone_words if n == name), 1.0)

    def zones(self, text: str, kind: str = "syllabus") -> Zones:
        """Split ``text`` (a text of ``kind``) at its headings. Text before the first
        heading (a title, a posting without headings) counts as outcomes; a markdown
        heading that names no zone of this kind also resets to outcomes, a colon line
        that names none changes nothing."""
        starts, names, weights = [0], ["outcomes"], [1.0]
        for m in _HEADING_RE.finditer(text):
            line = m.group(1)
            key = " " + fold(line.lstrip("#").rstrip(":")) + " "
            found = None
            for name, weight, words, kinds in self.zone_words:
                if kind in kinds and any(f" {w} " in key for w in words):
                    found = (name, weight)
                    break
            if found is None:
                if not line.startswith("#"):
                    continue
                found = ("outcomes", 1.0)
            starts.append(m.start())
            names.append(found[0])
            weights.append(found[1])
        return Zones(tuple(starts), tuple(names), tuple(weights))

    def collocation(self, key: str, before: list[str], after: list[str]) -> tuple[bool, str | None]:
        """Whether the words around alias ``key`` give it another meaning, and which skill
        (if any) the longer phrase means. ``before`` ends right before the alias,
        ``after`` starts right after it; both folded tokens."""
        spec = self.collocations.get(key)
        if spec is None:
            return False, None
        befores, afters, instead = spec
        for words in befores:
            if len(words) <= len(before) and tuple(before[len(before) - len(words) :]) == words:
                return True, instead
        for words in afters:
            if tuple(after[: len(words)]) == words:
                return True, instead
        return False, None

    def testing_variant(self, sid: str, folded_sentence: str) -> str:
        """In a sentence about testing, "mobile" is mobile testing and "security" security
        testing ("testing Web Services and Mobile Applications")."""
        variant = self.testing_variants.get(sid)
        if variant is None or not self.clause_has(folded_sentence, self.testing_cues):
            return sid
        return variant

    def surveys(self, listed: list[tuple[tuple[int, int], str]], text: str) -> set:
        """The ``(sentence bounds, skill id)`` pairs of ``listed`` that sit in a survey list:
        a syllabus sentence outside its outcomes that names five products or more, or
        three among many other capitalised names ("Wide column: Azure Cosmos DB Accumulo
        Cassandra Scylla HBase") surveys them rather than teaching each one."""
        per: dict[tuple[int, int], set[str]] = {}
        for bounds, sid in listed:
            per.setdefault(bounds, set()).add(sid)
        crowded = {
            b
            for b, ids in per.items()
            if len(ids) >= 5 or (len(ids) >= 3 and _capitalised(text[b[0] : b[1]]) >= 6)
        }
        return {(b, sid) for b, sid in listed if b in crowded}

    def is_setting(self, folded_before: str, domain: bool) -> bool:
        """Whether a mention whose clause so far is ``folded_before`` names where something
        is applied rather than what is taught: anywhere after "ứng dụng … trong"
        ("Ứng dụng phân tích dữ liệu lớn trong an ninh mạng, phân tích mạng xã hội, …
        IoT"; "ứng dụng của chúng trong quy trình phát triển phần mềm"), and, for a
        domain, right after a preposition of place or purpose ("Phân tích dự báo trong
        tài chính", "mô hình cho phân tích kinh doanh"). A tool after "cho" or "với"
        is often what is used ("AWS Toolkit cho Visual Studio"), hence domains only."""
        words = _WORD_RE.findall(folded_before)
        tail = " ".join(words[-2:])
        if domain and any(tail == p or tail.endswith(" " + p) for p in self.setting_prepositions):
            return True
        padded = " " + " ".join(words) + " "
        for cue in self.application_cues:
            k = padded.find(f" {cue} ")
            if k >= 0 and any(f" {p} " in padded[k:] for p in self.setting_prepositions):
                return True
        return False

    def in_syllabus(self, base: float, sid: str, category: str, before: str, stated: bool):
        """``base`` lowered for what a syllabus names without teaching it; ``before`` is the
        folded clause up to the mention, ``stated`` whether the course title or an
        outcome holds it."""
        if category == "domain" and self.clause_has(before, self.domain_example_cues):
            base *= 0.5  # "ứng dụng trong các lĩnh vực như tài chính"
        elif self.clause_has(before, self.example_cues):
            base *= 0.6  # "ví dụ: ứng dụng di động", "Case study: trí tuệ nhân tạo"
        elif category != "transversal" and self.is_setting(before, category == "domain"):
            base *= 0.6  # "dự báo trong tài chính": where it is applied, not taught
        if category == "domain" and sid in self.field_skills and not stated:
            # a discipline ("toán học", "điện tử") is background in most syllabi: it is
            # taught when the course's title or an outcome names it
            base = min(base, 0.55)
        return base

    @staticmethod
    def soft_facets(text: str, mentions: list, soft: set[str]) -> list:
        """A parenthesis right after a soft skill lists its facets: "làm việc nhóm (tổ
        chức, phân công công việc, … trình bày báo cáo)" describes teamwork, it does not
        teach leadership and reports. Other skills inside it count for less. (After a
        technical skill a parenthesis names real parts of it: "Java (Spring Boot)".)
        ``mentions`` are the extractor's, in order."""
        out = list(mentions)
        for k, head in enumerate(mentions):
            if head.skill_id not in soft or text[head.end : head.end + 4].lstrip(" \t")[:1] != "(":
                continue
            close = text.find(")", head.end)
            close = len(text) if close < 0 else close
            for j in range(k + 1, len(mentions)):
                m = mentions[j]
                if m.start > close:
                    break
                if m.skill_id != head.skill_id:
                    out[j] = replace(m, confidence=round(m.confidence * 0.6, 3))
        return out

    def clause_has(self, folded_clause: str, cues: tuple[str, ...]) -> bool:
        """Whether a folded clause holds one of ``cues`` as whole words."""
        padded = " " + " ".join(_WORD_RE.findall(folded_clause)) + " "
        return any(f" {c} " in padded for c in cues)


def _capitalised(sentence: str) -> int:
    """How many capitalised ASCII words a sentence has: product names, in a syllabus."""
    return len(_CAPITALISED_RE.findall(sentence))


class Sentences:
    """The sentences of one text, found once: :meth:`bounds` is O(log sentences)."""

    def __init__(self, text: str):
        self.text = text
        ends = [(m.start() + (0 if m.group() == "\n" else 1), m.end())
                for m in _SENTENCE_END_RE.finditer(text)]  # fmt: skip
        self._his = [hi for hi, _ in ends] + [len(text)]
        self._los = [0] + [lo for _, lo in ends]

    def bounds(self, start: int) -> tuple[int, int]:
        """``(lo, hi)`` of the sentence holding offset ``start``."""
        k = bisect_right(self._los, start) - 1
        return self._los[k], self._his[k]

    def states_outcome(self, start: int) -> bool:
        """Whether ``start`` sits in a course learning outcome: an outcome code ("CLO5 …")
        opens its sentence or comes earlier in it ("… Mức độ tự chủ CLO5 Thể hiện …")."""
        lo, _ = self.bounds(start)
        return _OUTCOME_RE.search(self.text, lo, start) is not None

    def clause_start(self, start: int) -> int:
        """Where the statement holding ``start`` begins: its sentence's start, or the end
        of the last outcome code before ``start`` in that sentence (a CLO table flattened
        into one sentence runs several outcomes together, and the words of one, such as
        "Áp dụng … vào", say nothing about the next)."""
        lo, _ = self.bounds(start)
        codes = list(_OUTCOME_RE.finditer(self.text, lo, start))
        return codes[-1].end() if codes else lo

    def is_item(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is, numbering aside, a whole list item: its sentence
        holds at most two other words ("Mẫu thiết kế 7.", "Mô hình hoá quy trình nghiệp
        vụ"), so the item is about it rather than mentioning it."""
        lo, hi = self.bounds(start)
        rest = self.text[lo:start] + " " + self.text[end:hi]
        return sum(1 for w in rest.split() if any(c.isalpha() for c in w)) <= 2

    def opens_outcome(self, start: int) -> bool:
        """Whether ``start`` is the first word of an outcome, right after its code: the
        outcome's verb ("CLO3 Minh họa …", "CLO2: Phân tích …"), not its object."""
        lo, _ = self.bounds(start)
        codes = list(_OUTCOME_RE.finditer(self.text, lo, start))
        return bool(codes) and not self.text[codes[-1].end() : start].strip(" \t.:)-0123456789")

    def evidence(self, start: int, end: int) -> str:
        """The sentence that holds ``text[start:end]``, trimmed around it to a readable
        length, white space collapsed."""
        lo, hi = self.bounds(start)
        prefix = suffix = ""
        if hi - lo > _EVIDENCE_MAX:
            half = (_EVIDENCE_MAX - (end - start)) // 2
            lo2, hi2 = max(lo, start - half), min(hi, end + half)
            prefix, suffix = ("… " if lo2 > lo else ""), (" …" if hi2 < hi else "")
            lo, hi = lo2, hi2
        return prefix + " ".join(self.text[lo:hi].split()) + suffix


@lru_cache(maxsize=1)
def rules() -> ContextRules:
    """The shipped context rules (read once)."""
    with open(_DATA, encoding="utf-8") as fh:
        return ContextRules(json.load(fh))
