"""Hypothesis strategies shared by the property tests: hostile text, tokens and mutations."""

import string

from hypothesis import strategies as st

ANY_CHAR = st.characters(codec="utf-8")
# Text a client can put anywhere: every code point (NUL, controls, surrogate-free Unicode).
any_text = st.text(ANY_CHAR, max_size=300)
# What JSON can carry besides: lone surrogates ("\ud800"), which UTF-8 cannot encode.
json_text = st.text(st.characters(categories=["Cs", "Lu", "Nd", "Po"]), max_size=40)
# What fits in an HTTP header as WSGI hands it over (latin-1 text).
header_text = st.text(st.characters(codec="latin-1"), max_size=300)
token_like = st.text(string.ascii_letters + string.digits + "-_.=+/ ", max_size=400)
not_text = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.binary(max_size=50),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | json_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@st.composite
def mutated(draw: st.DrawFn, token: str, chars: st.SearchStrategy[str] = ANY_CHAR) -> str:
    """``token`` with one edit: a character changed, inserted or deleted, a segment dropped,
    swapped or emptied, or the text cut short. New characters come from ``chars``."""
    segments = token.split(".")
    kind = draw(
        st.sampled_from(["replace", "insert", "delete", "drop", "swap", "empty", "truncate"])
    )
    if kind in {"replace", "insert", "delete"}:
        at = draw(st.integers(0, len(token) - 1))
        char = draw(chars)
        if kind == "replace":
            return token[:at] + char + token[at + 1 :]
        if kind == "insert":
            return token[:at] + char + token[at:]
        return token[:at] + token[at + 1 :]
    index = draw(st.integers(0, len(segments) - 1))
    if kind == "drop":
        return ".".join(segments[:index] + segments[index + 1 :])
    if kind == "swap":
        other = draw(st.integers(0, len(segments) - 1))
        segments[index], segments[other] = segments[other], segments[index]
        return ".".join(segments)
    if kind == "empty":
        segments[index] = ""
        return ".".join(segments)
    return token[: draw(st.integers(0, len(token) - 1))]
