"""Faster, output-identical versions of two spaCy components the build runs.

In ``en_core_web_sm`` the attribute ruler (part of speech and morphology from
the tag, about 180 token patterns run by a :class:`~spacy.matcher.Matcher`)
and the rule lemmatizer take about a fifth of the pipeline's time, although
what they set for a token depends only on a few of its attributes:

- the ruler's one-token patterns test the token's text, tag, dependency label
  and ``IS_SPACE`` only, so what they assign is computed once per distinct
  ``(text, tag, dep)`` and cached; the few patterns of several tokens ("gon
  na") still run through a :class:`Matcher` of their own, and a token they
  touch gets every matching pattern again in the ruler's order (later
  patterns win), so the result is the ruler's;
- the rule lemmatizer's answer depends on the text, the part of speech and the
  morphology; spaCy caches it only for some tokens, here it is cached for all.

:func:`speed_up` swaps the classes of the two loaded components in place (the
pipeline's config, patterns and tables are untouched, so it serialises and
reloads as the stock components). A pipeline whose ruler uses a pattern
feature this module does not evaluate keeps the stock ruler.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["speed_up"]

#: token attributes the cached one-token patterns may test, read from a token
_READERS: dict[str, Callable[["Token"], Any]] = {
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}


def _predicate(attr: str, spec: Any) -> Callable[["Token"], bool] | None:
    """A test of one token for ``{attr: spec}`` as the Matcher does it, or None when unsupported."""
    read = _READERS.get(attr)
    if read is None:
        return None
    if not isinstance(spec, dict):
        return lambda t: read(t) == spec
    if len(spec) != 1:
        return None
    (op, value), = spec.items()
    if op == "IN":
        values = set(value)
        return lambda t: read(t) in values
    if op == "NOT_IN":
        values = set(value)
        return lambda t: read(t) not in values
    if op == "REGEX" and attr not in ("IS_SPACE",):
        search = re.compile(value).search
        return lambda t: bool(search(read(t)))
    return None


def _token_test(spec: dict) -> Callable[["Token"], bool] | None:
    if "OP" in spec:
        return None
    tests = [_predicate(attr, value) for attr, value in spec.items()]
    if any(test is None for test in tests):
        return None
    return lambda t: all(test(t) for test in tests)  # type: ignore[misc]


class _Singles:
    """One-token patterns indexed by the lower-case text or the tag they require, so a
    token is tested only against the patterns that can match it."""

    def __init__(self) -> None:
        self.by_lower: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.other: list = []

    def add(self, spec: dict, entry: tuple) -> None:
        if isinstance(spec.get("LOWER"), str):
            self.by_lower.setdefault(spec["LOWER"], []).append(entry)
        elif isinstance(spec.get("TAG"), str):
            self.by_tag.setdefault(spec["TAG"], []).append(entry)
        else:
            self.other.append(entry)

    def candidates(self, token: "Token") -> list:
        found = self.by_lower.get(token.lower_, []) + self.by_tag.get(token.tag_, []) + self.other
        return sorted(found, key=lambda entry: entry[0])  # the ruler's order: later patterns win


def _effect(single: _Singles, token: "Token") -> dict | None:
    """What the one-token patterns assign to ``token``, merged in the ruler's order."""
    merged: dict = {}
    for _, test, values in single.candidates(token):
        if test(token):
            merged.update(values)
    return merged or None


#: attributes a trigger may test, rarest first
_TRIGGER_ATTRS = ("DEP", "LOWER", "TAG")


def _trigger(vocab: Any, pattern: list[dict]) -> tuple[int, frozenset[int]] | None:
    """``(column, values)``: a doc can match ``pattern`` only if one of its tokens has one
    of ``values`` in column ``column`` of ``doc.to_array(_TRIGGER_ATTRS)``."""
    if any("OP" in spec for spec in pattern):
        return None
    for column, attr in enumerate(_TRIGGER_ATTRS):
        for spec in pattern:
            value = spec.get(attr)
            if isinstance(value, str):
                return column, frozenset([vocab.strings.add(value)])
            if isinstance(value, dict) and list(value) == ["IN"]:
                return column, frozenset(vocab.strings.add(v) for v in value["IN"])
    return None


def _compile_ruler(ruler: Any) -> tuple[_Singles, Any, list | None] | None:
    """The ruler's one-token patterns as ``(order, test, attrs)``, a Matcher of the
    others and the words they start with, or None when a pattern tests something
    :data:`_READERS` does not read."""
    from spacy.matcher import Matcher

    single, multi = _Singles(), Matcher(ruler.vocab)
    #: for each several-token pattern, a value one of its tokens must have (None: unknown)
    triggers: list[tuple[int, frozenset[int]]] | None = []
    for attr_id, values in enumerate(ruler.attrs):
        found = ruler.matcher.get(str(attr_id))
        patterns = found[1] if found is not None else []
        if patterns and all(len(p) == 1 for p in patterns) and ruler.indices[attr_id] in (0, -1):
            tests = [_token_test(p[0]) for p in patterns]
            if any(test is None for test in tests):
                return None
            for pattern, test in zip(patterns, tests):
                single.add(pattern[0], (attr_id, test, values))
        elif patterns:
            multi.add(str(attr_id), patterns)
            for pattern in patterns:
                trigger = _trigger(ruler.vocab, pattern)
                if triggers is None or trigger is None:
                    triggers = None
                else:
                    triggers.append(trigger)
    return single, multi, triggers


def _may_match(doc: "Doc", triggers: list | None) -> bool:
    if triggers is None:
        return True
    columns = [set(column) for column in doc.to_array(list(_TRIGGER_ATTRS)).T.tolist()]
    return any(not values.isdisjoint(columns[column]) for column, values in triggers)


class _CachedRuler:
    """Mixed into the loaded AttributeRuler's class (see module docstring)."""

    _kg_compiled: tuple[int, _Singles, Any, list | None]
    _kg_cache: dict[tuple[int, int, int], dict | None]

    def __call__(self, doc: "Doc") -> "Doc":
        from spacy.tokens._retokenize import set_token_attrs

        n, single, multi, triggers = self._kg_compiled
        if n != len(self.attrs):  # type: ignore[attr-defined]  # patterns added since
            compiled = _compile_ruler(self)
            if compiled is None:
                raise ValueError("attribute ruler: a pattern added later cannot be cached")
            self._kg_compiled, self._kg_cache = (len(self.attrs), *compiled), {}  # type: ignore[attr-defined]
            n, single, multi, triggers = self._kg_compiled
        # tokens a several-token pattern matches: all their matches, found before any change
        redo: dict[int, list[tuple[int, dict]]] = {}
        if len(multi) and _may_match(doc, triggers):
            for match_id, start, end in multi(doc, allow_missing=True):
                attr_id = int(self.vocab.strings[match_id])  # type: ignore[attr-defined]
                index = self.indices[attr_id]  # type: ignore[attr-defined]
                i = (start if index >= 0 else end) + index
                if not start <= i < end:
                    raise ValueError(f"attribute ruler pattern {attr_id}: index {index} outside its match")
                redo.setdefault(i, []).append((attr_id, self.attrs[attr_id]))  # type: ignore[attr-defined]
            for i, found in redo.items():
                found += [(attr_id, values) for attr_id, test, values in single.candidates(doc[i]) if test(doc[i])]
        cache = self._kg_cache
        for token in doc:
            key = (token.orth, token.tag, token.dep)
            try:
                attrs = cache[key]
            except KeyError:
                attrs = cache[key] = _effect(single, token)
            if attrs is not None:
                set_token_attrs(token, attrs)
        for i, found in redo.items():
            token = doc[i]
            for _, values in sorted(found, key=lambda pair: pair[0]):
                set_token_attrs(token, values)
        return doc


class _CachedLemmatizer:
    """Mixed into the loaded rule lemmatizer's class: one cache for every token, and
    the word lists of the lookup tables as sets (spaCy tests ``form in index`` on a
    list of up to 57,000 nouns for every new word)."""

    _kg_lemmas: dict[tuple[int, int, int], int]
    _kg_index: dict[str, frozenset[str]]

    def rule_lemmatize(self, token: "Token") -> list[str]:
        """spaCy's ``Lemmatizer.rule_lemmatize`` (3.8), step for step, with set lookups."""
        cache_key = (token.orth, token.pos, token.morph.key)
        cache = self.cache  # type: ignore[attr-defined]
        if cache_key in cache:
            return cache[cache_key]
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            if univ_pos == "":
                import warnings

                from spacy.errors import Warnings

                warnings.warn(Warnings.W108)
            return [string.lower()]
        if self.is_base_form(token):  # type: ignore[attr-defined]
            return [string.lower()]
        lookups = self.lookups  # type: ignore[attr-defined]
        index_table = lookups.get_table("lemma_index", {})
        exc_table = lookups.get_table("lemma_exc", {})
        rules_table = lookups.get_table("lemma_rules", {})
        if not any((index_table.get(univ_pos), exc_table.get(univ_pos), rules_table.get(univ_pos))):
            return [string] if univ_pos == "propn" else [string.lower()]
        index = self._kg_index.get(univ_pos)
        if index is None:
            index = self._kg_index[univ_pos] = frozenset(index_table.get(univ_pos, {}))
        exceptions = exc_table.get(univ_pos, {})
        rules = rules_table.get(univ_pos, {})
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        cache[cache_key] = forms
        return forms

    def __call__(self, doc: "Doc") -> "Doc":
        if not self._validated:  # type: ignore[attr-defined]  # as the stock __call__
            from spacy.errors import Errors

            self._validate_tables(Errors.E1004)  # type: ignore[attr-defined]
        cache = self._kg_lemmas
        overwrite = self.overwrite  # type: ignore[attr-defined]
        strings = self.vocab.strings  # type: ignore[attr-defined]
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = cache.get(key)
                if lemma is None:
                    lemma = cache[key] = strings.add(self.rule_lemmatize(token)[0])  # type: ignore[attr-defined]
                token.lemma = lemma
        return doc


def _swap(component: Any, mixin: type) -> None:
    cls = type(component)
    if isinstance(component, mixin):
        return
    component.__class__ = type(f"Cached{cls.__name__}", (mixin, cls), {"__module__": __name__})


def speed_up(nlp: "Language") -> list[str]:
    """Swap in the cached ruler and lemmatizer where they apply; returns the names swapped."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    done = []
    for name, component in nlp.pipeline:
        if type(component) is AttributeRuler:
            compiled = _compile_ruler(component)
            if compiled is not None:
                _swap(component, _CachedRuler)
                component._kg_compiled, component._kg_cache = (len(component.attrs), *compiled), {}
                done.append(name)
        elif isinstance(component, Lemmatizer) and getattr(component, "mode", None) == "rule":
            _swap(component, _CachedLemmatizer)
            component._kg_lemmas, component._kg_index = {}, {}
            done.append(name)
    return done
