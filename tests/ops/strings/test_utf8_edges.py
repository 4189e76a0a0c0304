"""String ops on UTF-8 text and at their edges, with TF 2.21's results: regular expressions
match characters (RE2 in UTF-8 mode, ASCII ``\\w``), ``substr`` with a negative ``len``,
``as_string``'s zero fill of inf and nan."""

from __future__ import annotations

import pytest

import scopeflow as tf

TEXTS = [b"h\xc3\xa9llo", "日本".encode(), b"\xc3\xa9\xc3\xa9x"]


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (".", [b"<h><\xc3\xa9><l><l><o>", "<日><本>".encode(), b"<\xc3\xa9><\xc3\xa9><x>"]),
        (r"\w+", [b"<h>\xc3\xa9<llo>", "日本".encode(), b"\xc3\xa9\xc3\xa9<x>"]),
        ("é+", [b"h<\xc3\xa9>llo", "日本".encode(), b"<\xc3\xa9\xc3\xa9>x"]),
        ("", [b"<>h<>\xc3\xa9<>l<>l<>o<>", "<>日<>本<>".encode(), b"<>\xc3\xa9<>\xc3\xa9<>x<>"]),
    ],
)
def test_regex_replace_matches_utf8_characters(run, pattern, expected):
    assert run(tf.strings.regex_replace(TEXTS, pattern, "<\\0>")).tolist() == expected


def test_regex_full_match_counts_characters(run):
    assert run(tf.strings.regex_full_match(TEXTS, ".{2}")).tolist() == [False, True, False]
    assert run(tf.strings.regex_full_match(TEXTS, "h.llo")).tolist() == [True, False, False]


def test_substr_negative_len_takes_the_rest_of_the_bytes(run):
    out = run(tf.strings.substr([b"hello", b"ab"], 1, -5))
    assert out.tolist() == [b"ello", b"b"]
    assert run(tf.strings.substr([b"hello world"], -2, -1)).tolist() == [b"ld"]


def test_substr_negative_len_in_characters_is_empty(run):
    out = run(tf.strings.substr([b"h\xc3\xa9llo"], 1, -1, unit="UTF8_CHAR"))
    assert out.tolist() == [b""]


def test_substr_negative_pos_and_len_in_characters_is_out_of_range(run):
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos -2 out of range for string at"):
        run(tf.strings.substr([b"hello"], -2, -1, unit="UTF8_CHAR"))


def test_as_string_zero_fill_pads_inf_and_nan_with_spaces(run):
    values = tf.constant([1.5, float("inf"), -float("inf"), float("nan")])
    out = run(tf.as_string(values, width=12, fill="0"))
    assert out.tolist() == [b"00001.500000", b"         inf", b"        -inf", b"         nan"]
