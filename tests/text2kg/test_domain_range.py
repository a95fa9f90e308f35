"""Every statement respects the ontology's domain and range."""

from __future__ import annotations

import pytest

from kg.text2kg.extract import ExtractedTriple, enforce_domain_range, value_kind
from kg.text2kg.ontology import Concept, Ontology, Relation


@pytest.fixture()
def onto() -> Ontology:
    return Ontology(
        id="t",
        title="t",
        concepts=(Concept("Company", "Company", parents=("Organisation",)),
                  Concept("Organisation", "Organisation"), Concept("Person", "Person"),
                  Concept("Place", "Place")),
        relations=(
            Relation("foundingDate", "foundingDate", "Company", "Date"),
            Relation("numberOfEmployees", "numberOfEmployees", "Company", "number"),
            Relation("founder", "founder", "Company", "Person"),
            Relation("location", "location", "Company", "Place"),
            Relation("employer", "employer", "Person", "Organisation"),
            Relation("motto", "motto", "Company", "string"),
        ),
        disjoint=frozenset({frozenset(("Person", "Organisation"))}),
    )


def t(sub, rel, obj, conf=0.9):
    return ExtractedTriple(sub, rel, obj, conf, (0, 1), (0, 1))


@pytest.mark.parametrize(
    "triple, kept",
    [
        (t("AmeriGas", "foundingDate", "1959-01-01"), True),
        (t("AmeriGas", "foundingDate", "1959"), True),
        (t("AmeriGas", "foundingDate", "Pennsylvania"), False),  # a date range takes a date
        (t("AmeriGas", "numberOfEmployees", "8500"), True),
        (t("AmeriGas", "numberOfEmployees", "many"), False),     # a number range takes a number
        (t("AmeriGas", "founder", "Jerry Sheridan"), True),
        (t("AmeriGas", "founder", "8500"), False),              # a class range takes no bare number
        (t("1959", "founder", "Jerry Sheridan"), False),        # a subject is never a literal
        (t("AmeriGas", "motto", "Energy for all"), True),
        (t("AmeriGas", "ceo", "Jerry Sheridan"), False),        # not a relation of the ontology
    ],
)
def test_literal_kinds_of_domain_and_range(onto, triple, kept):
    assert (enforce_domain_range([triple], onto) == [triple]) is kept


def test_disjoint_classes_are_not_mixed(onto):
    # "Jerry" is a Person as founder's range; being an employer's range
    # (Organisation, disjoint with Person) as well is refused, the less sure one goes
    a = t("AmeriGas", "founder", "Jerry", 0.9)
    b = t("Acme", "employer", "Jerry", 0.4)  # Acme is then a Person: fine on its own
    c = t("Jerry", "employer", "AmeriGas", 0.3)  # Jerry as employer's domain Person: compatible
    kept = enforce_domain_range([a, b, c], onto)
    assert a in kept and c in kept and b not in kept
    # order of the input is kept
    assert kept == [a, c]


def test_subclasses_inherit_disjointness(onto):
    a = t("Jerry", "employer", "AmeriGas", 0.9)   # Jerry: Person; AmeriGas: Organisation
    b = t("Jerry", "location", "Pennsylvania", 0.5)  # Jerry would be a Company (an Organisation)
    assert enforce_domain_range([a, b], onto) == [a]


def test_learned_value_kinds_override_the_declared_range(onto):
    # the examples showed numbers for a relation whose declared range is a class
    weird = t("AmeriGas", "location", "6155910000000.0")
    assert enforce_domain_range([weird], onto) == []
    assert enforce_domain_range([weird], onto, value_kinds=lambda rel: {"number"}) == [weird]


@pytest.mark.parametrize(
    "value, kind",
    [("1959-01-01", "date"), ('"1923-11-18"', "date"), ("1983", "year"), ("8500.0", "number"),
     ("30843.8 (square metres)", "number"), ("11 Diagonal Street", "name"),
     ("1147 Stavropolis", "name"), ("United States", "name")],
)
def test_value_kind(value, kind):
    assert value_kind(value) == kind
