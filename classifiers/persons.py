"""Person matching: which known person does a new document belong to?

`match(claim, known)` compares what a document says about its person (`schemas.persons.PersonClaim`) with
the claims already filed for known persons and proposes candidates with a score and reasons. It only
proposes: it never merges two persons, and it files automatically only when one candidate is above the
threshold and clearly ahead of the next. The evidence, strongest first:

1. Identifiers: the same document, personal or AZR number (same issuing state) with the same birth date is
   near-certain, and the nationality agreeing makes it more so. A permanent identifier (personal number,
   AZR number) with two different values for one issuing state vetoes the match.
2. Names across transliterations and variants (`classifiers.persons_names`) *plus* the birth date. A name
   alone never matches automatically: without two birth dates that agree the score stays below 0.9.
   Different birth dates veto: the candidate is at most shown to a clerk, with the reason.

How storage should use `blocking_keys`: store the keys of every claim filed for a person in one indexed
table (`person_key(person_id, key)`, the key a short string). To match a new claim, compute its keys, select
the persons sharing at least one key (ordered by the number of shared keys, at most a few hundred), load
their claims, and pass them all to `match` (a person may appear with several claims: one per document or
alias; the best one counts). The keys are:
- `id:<kind>:<number>` per identifier,
- `dn:<birth date>:<word key>` per name word (and `G<group>` per listed given name),
- `dp:<birth date>:<first two letters of the word key>`, which survives a misread letter further on
  (Arabic script contributes the key of its transliteration),
- `nn:<key>|<key>` for pairs of name words, which finds persons without a birth date on file.
Keys are short strings (Arabic-script words keep their letters). When the recipe changes,
`BLOCKING_VERSION` changes and the stored keys must be recomputed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from classifiers.persons_names import NameForm, compare_names, consonant_key, name_forms
from schemas.persons import PERMANENT_KINDS, IdentifierKind, MatchCandidate, MatchDecision, PersonClaim

logger = logging.getLogger(__name__)

BLOCKING_VERSION = 1
#: How far the best candidate must be ahead of the runner-up to be chosen automatically.
MARGIN = 0.04
#: Candidates scoring below this are not shown at all.
MIN_CANDIDATE_SCORE = 0.4
MAX_CANDIDATES = 10

_CYRILLIC_LANGUAGE = {"UKR": "uk", "RUS": "ru", "BLR": "be", "SRB": "sr", "MKD": "mk", "BGR": "bg"}
_ID_NOISE = re.compile(r"[\s\-/.<]+")
_STRONG_KINDS = frozenset(
    {
        IdentifierKind.DOCUMENT_NUMBER,
        IdentifierKind.PERSONAL_NUMBER,
        IdentifierKind.AZR_NUMBER,
        IdentifierKind.CERTIFICATE_NUMBER,
        IdentifierKind.FILE_NUMBER,
    }
)


@dataclass(frozen=True, slots=True)
class _Prepared:
    claim: PersonClaim
    forms: tuple[NameForm, ...]
    ids: tuple[tuple[IdentifierKind, str, str | None], ...]
    word_keys: frozenset[str]  # consonant keys of every name word, for a cheap "any name in common?"
    nationality: str | None


def _normalise_id(value: str) -> str:
    return _ID_NOISE.sub("", value.upper())


def _state(code: str | None) -> str | None:
    """An ICAO state code as MRZs write it ("D<<" for Germany) in its three-letter form."""
    if code is None:
        return None
    code = code.upper().replace("<", "")
    return "DEU" if code == "D" else code or None


@lru_cache(maxsize=65536)
def _prepare(claim: PersonClaim) -> _Prepared:
    nationality = _state(claim.nationality)
    language = _CYRILLIC_LANGUAGE.get(nationality or "")
    forms = name_forms(claim.surname, claim.given_names, claim.full_name, claim.original_script_name, language)
    ids = tuple((i.kind, _normalise_id(i.value), _state(i.issuing_state)) for i in claim.identifiers)
    word_keys = frozenset(
        t.spelling.latin_key if t.spelling.arabic else t.spelling.key for form in forms for t in form.tokens
    )
    return _Prepared(claim, forms, ids, word_keys, nationality)


def _compare_ids(a: _Prepared, b: _Prepared) -> tuple[str | None, str | None]:
    """(the strongest shared identifier kind, a conflicting permanent identifier kind), either may be None."""
    shared: str | None = None
    conflict: str | None = None
    for kind_a, value_a, state_a in a.ids:
        for kind_b, value_b, state_b in b.ids:
            if kind_a != kind_b:
                continue
            same_state = state_a is None or state_b is None or state_a == state_b
            if value_a == value_b and same_state and kind_a in _STRONG_KINDS:
                shared = shared or kind_a.value.replace("_", " ")
            elif value_a != value_b and kind_a in PERMANENT_KINDS and state_a and state_a == state_b:
                conflict = kind_a.value.replace("_", " ")
    return shared, conflict


def _score(a: _Prepared, b: _Prepared) -> tuple[float, list[str]]:
    claim_a, claim_b = a.claim, b.claim
    shared_id, id_conflict = _compare_ids(a, b)
    dob_known = claim_a.birth_date is not None and claim_b.birth_date is not None
    dob_agree = dob_known and claim_a.birth_date == claim_b.birth_date
    if dob_known and not dob_agree and not shared_id and not (a.word_keys & b.word_keys):
        return 0.0, []  # another birthday and no name in common: not worth a clerk's look (and fast)
    names = compare_names(a.forms, b.forms)
    reasons = list(names.reasons)
    nat_known = a.nationality is not None and b.nationality is not None
    nat_agree = nat_known and a.nationality == b.nationality

    if dob_known and not dob_agree:
        reasons.insert(0, f"birth dates differ ({claim_a.birth_date}/{claim_b.birth_date})")
        evidence = 1.0 if shared_id else names.score
        return 0.45 * evidence, ([f"{shared_id} matches"] if shared_id else []) + reasons
    if id_conflict:
        reasons.insert(0, f"{id_conflict}s differ")
        return 0.45 * names.score, reasons
    if shared_id and dob_agree:
        head = f"{shared_id} + birth date" + (" + nationality" if nat_agree else "") + " match"
        score = 0.995 if nat_agree else 0.99
        if nat_known and not nat_agree:
            score = 0.95
            reasons.append(f"nationalities differ ({a.nationality}/{b.nationality})")
        if names.score < 0.3 and (a.forms and b.forms):
            score = 0.9  # same number and birthday but another name: a typo in a number, or a name change
            reasons.append("names do not match")
        return score, [head, *reasons]
    if shared_id:
        # A number of the person's own file (or document) and a name that agrees: the name is not alone.
        reasons.insert(0, f"{shared_id} matches, no birth date to compare")
        return 0.55 + 0.45 * names.score, reasons
    if not dob_agree:
        reasons.append("no birth date to compare")
        return min(0.85, 0.85 * names.score), reasons
    score = names.score
    if nat_known and not nat_agree:
        score -= 0.05
        reasons.append(f"nationalities differ ({a.nationality}/{b.nationality})")
    return max(0.0, score), ["names + birth date match" if score >= 0.9 else "birth date matches", *reasons]


def match(claim: PersonClaim, known: Iterable[tuple[str, PersonClaim]], *, threshold: float = 0.92) -> MatchDecision:
    """Propose the known persons `claim` may belong to; choose one automatically only if it is clear.

    `known` holds (person_id, claim) pairs, usually the persons sharing a `blocking_keys` key; a person may
    appear several times (one claim per filed document or alias) and is scored by its best claim.
    """
    prepared = _prepare(claim)
    best: dict[str, tuple[float, list[str]]] = {}
    for person_id, other in known:
        score, reasons = _score(prepared, _prepare(other))
        if person_id not in best or score > best[person_id][0]:
            best[person_id] = (score, reasons)
    ranked = sorted(best.items(), key=lambda item: -item[1][0])
    candidates = tuple(
        MatchCandidate(person_id=pid, score=round(min(1.0, score), 4), reasons=tuple(dict.fromkeys(reasons)))
        for pid, (score, reasons) in ranked[:MAX_CANDIDATES]
        if score >= MIN_CANDIDATE_SCORE
    )
    auto = None
    if candidates and candidates[0].score >= threshold:
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        if candidates[0].score - runner_up >= MARGIN:
            auto = candidates[0]
        else:
            logger.debug("best person %s not clearly ahead of %s", candidates[0].person_id, candidates[1].person_id)
    return MatchDecision(auto=auto, candidates=candidates)


def blocking_keys(claim: PersonClaim) -> set[str]:
    """Cheap keys under which storage finds the persons worth comparing with `claim` (see the module)."""
    prepared = _prepare(claim)
    keys = {f"id:{kind.value}:{value}" for kind, value, _ in prepared.ids}
    dob = claim.birth_date.isoformat() if claim.birth_date else None
    token_keys: set[str] = set()
    prefixes: set[str] = set()
    for form in prepared.forms:
        primary: list[str] = []
        for token in form.tokens:
            spelling = token.spelling
            key = ("AR" + spelling.key) if spelling.arabic else spelling.key.upper()
            token_keys.add(key)
            latin = (spelling.latin_key if spelling.arabic else spelling.key).upper()
            prefixes.add(latin[:2])  # survives a misread letter further on
            if spelling.alt_soft:
                token_keys.add(consonant_key(spelling.alt_soft).upper())
            if spelling.group:
                token_keys.add("G" + spelling.group)
            if not token.secondary:
                primary.append("G" + spelling.group if spelling.group else key)
        for first, second in combinations(sorted(set(primary[:4])), 2):
            keys.add(f"nn:{first}|{second}")
    if dob:
        keys.update(f"dn:{dob}:{key}" for key in token_keys)
        keys.update(f"dp:{dob}:{prefix}" for prefix in prefixes if prefix)
    return keys
