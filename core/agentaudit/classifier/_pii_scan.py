"""What one free-text scan shares: the `Finding` it returns and the `Scan` state its detectors
read and fill (the text, its lower-cased copy and words, the findings so far, kept by position)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

from agentaudit.classifier._detect import shape_of
from agentaudit.classifier._pii_cues import CueSet, PiiCues, words_of


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its type and where it is (`text[start:end] == value`)."""

    type: str
    start: int
    end: int
    value: str


STRUCTURED_TYPES: Final[tuple[str, ...]] = (
    "email",
    "phone",
    "credit_card",
    "iban",
    "ssn",
    "ip_address",
    "date_of_birth",
    "passport",
    "national_id",
    "drivers_license",
)

# How far a cue may stand from the value it qualifies, in characters.
CUE_BEFORE: Final = 40
CUE_AFTER: Final = 14
VETO_BEFORE: Final = 24


def lower_same_length(text: str) -> str:
    """`text.lower()`, except that a character whose lower case is longer ("İ") stays as it is,
    so that positions in the lower-cased copy are positions in `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Scan:
    """State of one `find_pii` call: the text, its lower-cased copy and words, what is taken."""

    __slots__ = (
        "about", "cues", "ends", "findings", "gates", "low", "new_ends", "new_findings",
        "new_starts", "plain", "region", "shaped", "starts", "text", "the_shape", "words",
    )  # fmt: skip

    def __init__(self, text: str, region: str | None, cues: PiiCues) -> None:
        self.text = text
        # What the detectors read: an escaped newline ("Phone:\\n070 4493…", JSON written into
        # a string) as a real one, same length, so positions are positions in `text`.
        self.plain = text.replace("\\n", " \n") if "\\n" in text else text
        self.low = lower_same_length(self.plain)
        self.words = words_of(self.low)
        self.region = region
        self.cues = cues
        # Findings by position (they never overlap): those of the detectors done, and those of
        # the running one, which scans left to right and so mostly appends; `commit` merges the
        # two in one pass, so keeping them sorted costs linear time, not an insert each.
        self.findings: list[Finding] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.new_findings: list[Finding] = []
        self.new_starts: list[int] = []
        self.new_ends: list[int] = []
        self.gates: dict[int, bool] = {}
        self.about: dict[tuple[int, int], bool] = {}  # sentence -> refers to a person
        self.the_shape: str | None = None
        self.shaped = False

    def shape(self) -> str | None:
        """`shape_of(self.plain)`, once: where the detectors' values can start."""
        if not self.shaped:
            self.the_shape = shape_of(self.plain)
            self.shaped = True
        return self.the_shape

    def maybe(self, cue_set: CueSet) -> bool:
        """`cue_set.maybe_in(self.words, self.low)`, computed once per call and cue set."""
        key = id(cue_set)
        got = self.gates.get(key)
        if got is None:
            got = cue_set.maybe_in(self.words, self.low)
            self.gates[key] = got
        return got

    def has_month_word(self) -> bool:
        got = self.gates.get(0)
        if got is None:
            got = not self.words.isdisjoint(self.cues.month_words)
            self.gates[0] = got
        return got

    def free(self, start: int, end: int) -> bool:
        return _free(self.starts, self.ends, start, end) and _free(
            self.new_starts, self.new_ends, start, end
        )

    def add(self, typ: str, start: int, end: int) -> bool:
        if start >= end or not self.free(start, end):
            return False
        finding = Finding(typ, start, end, self.text[start:end])
        if not self.new_starts or start >= self.new_starts[-1]:
            self.new_starts.append(start)
            self.new_ends.append(end)
            self.new_findings.append(finding)
        else:
            i = bisect_left(self.new_starts, start)
            self.new_starts.insert(i, start)
            self.new_ends.insert(i, end)
            self.new_findings.insert(i, finding)
        return True

    def commit(self) -> None:
        """Merge the running detector's findings into the others (both sorted, disjoint)."""
        if not self.new_findings:
            return
        if not self.findings:
            merged = self.new_findings
        else:
            merged = []
            a, b = self.findings, self.new_findings
            i = j = 0
            while i < len(a) and j < len(b):
                if a[i].start < b[j].start:
                    merged.append(a[i])
                    i += 1
                else:
                    merged.append(b[j])
                    j += 1
            merged.extend(a[i:])
            merged.extend(b[j:])
        self.findings = merged
        self.starts = [f.start for f in merged]
        self.ends = [f.end for f in merged]
        self.new_findings = []
        self.new_starts = []
        self.new_ends = []

    def identifier_within(self, start: int, end: int) -> bool:
        """Whether an identifier (not an Art. 9 statement) overlaps text[start:end]."""
        return _identifier_within(self.starts, self.findings, start, end) or _identifier_within(
            self.new_starts, self.new_findings, start, end
        )

    def cue_near(self, cues: CueSet, start: int, end: int, before: int, after: int) -> int:
        """Distance in characters from the nearest cue of `cues` to [start, end); -1 if none
        ends within `before` characters before it or starts within `after` after it."""
        if not self.maybe(cues):
            return -1
        best = -1
        lo = max(0, start - before)
        for _s, e in cues.find(self.low, self.words, lo, start):
            d = start - e
            if d >= 0 and (best < 0 or d < best):
                best = d
        if after > 0:
            for s, _e in cues.find(self.low, self.words, end, min(len(self.low), end + after)):
                d = s - end
                if d >= 0 and (best < 0 or d < best):
                    best = d
        return best

    def vetoed(self, start: int, positive: int) -> bool:
        """A not-personal cue ("order", "version") right before `start`, closer than the
        nearest positive cue (`positive`: its distance, -1 for none)."""
        veto = self.cue_near(self.cues.not_personal, start, start, VETO_BEFORE, 0)
        return veto >= 0 and (positive < 0 or veto < positive)


def _free(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    i = bisect_left(starts, end)  # spans starting before `end`…
    return i == 0 or ends[i - 1] <= start  # …the last of which ends by `start`


def _identifier_within(starts: list[int], findings: list[Finding], start: int, end: int) -> bool:
    i = bisect_left(starts, end)
    while i > 0:
        i -= 1
        f = findings[i]
        if f.end <= start:
            return False
        if f.type in STRUCTURED_TYPES:
            return True
    return False
