"""Candidate pairs of a sentence are bounded (#15): each subject is paired with its
:data:`~kg.text2kg.model.MAX_OBJECTS_PER_SUBJECT` nearest objects, so a sentence that
lists thousands of values costs memory linear in its length, not its square."""

from __future__ import annotations

import pytest

from kg.text2kg.features import SentenceContext
from kg.text2kg.model import MAX_OBJECTS_PER_SUBJECT, can_be_subject, pairs_of
from kg.text2kg.spans import candidate_spans

pytestmark = pytest.mark.model

N_DATES = 300  # far more than the cap; the 2,000-date sentence of the memory finding costs minutes to parse
DATES = [f"February {k % 28 + 1}, {1000 + k}" for k in range(N_DATES)]


def _context(nlp, text: str) -> SentenceContext:
    doc = nlp(text)
    return SentenceContext.build(doc, candidate_spans(doc))


def test_a_sentence_of_many_dates_gets_at_most_the_cap_per_subject(nlp):
    ctx = _context(nlp, f"Initech was founded in Austin on {', '.join(DATES)}.")
    assert sum(1 for s in ctx.spans if s.date) >= N_DATES  # the dates are all candidates
    subjects = [s for s in ctx.spans if can_be_subject(s, ctx.doc)]
    pairs = pairs_of(ctx)
    assert subjects and len(pairs) <= MAX_OBJECTS_PER_SUBJECT * len(subjects)
    objects = {s.text: [o.text for t, o in pairs if t is s] for s in subjects}
    initech = objects["Initech"]
    assert len(initech) == MAX_OBJECTS_PER_SUBJECT
    # the nearest objects are kept: the place and the first dates, not the last ones
    assert "Austin" in initech and DATES[0] in initech and DATES[-1] not in initech


def test_a_short_sentence_keeps_every_pair(nlp):
    ctx = _context(nlp, "Initech, a company founded by Peter Gibbons and Michael Bolton in Austin, Texas, "
                        "on February 19, 1999, makes TPS reports for Globex and Chotchkie's.")
    everything = pairs_of(ctx, max_objects=10**9)
    assert len(everything) > 20
    assert pairs_of(ctx) == everything
