"""tf.keras.preprocessing.text: expected values computed with tf_keras (TF 2.21)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import scopeflow as tf

T = tf.keras.preprocessing.text
TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "cat and dog, cat AND dog",
         "Hello\tworld-wide web"]


def test_text_to_word_sequence_and_md5_hashing():
    assert [T.text_to_word_sequence(t) for t in TEXTS[2:]] == [
        ["cat", "and", "dog", "cat", "and", "dog"], ["hello", "world", "wide", "web"]]
    assert T.text_to_word_sequence("a,b;C d", filters=",", lower=False, split=";") == [
        "a", "b", "C d"]
    assert [T.hashing_trick(t, 20, hash_function="md5") for t in TEXTS] == [
        [17, 4, 13, 16, 17, 9], [17, 17, 8, 6, 8], [4, 4, 17, 4, 4, 17], [8, 15, 10, 5]]
    assert all(1 <= i < 7 for i in T.one_hot(TEXTS[0], 7))


def test_tokenizer_ranks_words_and_converts_texts():
    tok = T.Tokenizer()
    tok.fit_on_texts(TEXTS)
    assert list(tok.word_index)[:5] == ["the", "cat", "dog", "and", "sat"]
    assert tok.texts_to_sequences(TEXTS + ["unknown cat words here"]) == [
        [1, 2, 5, 6, 1, 7], [1, 3, 8, 9, 10], [2, 4, 3, 2, 4, 3], [11, 12, 13, 14], [2]]
    assert tok.sequences_to_texts([[1, 2, 3, 99], [5, 4, 7, 1]]) == [
        "the cat dog", "sat and mat the"]
    tfidf = tok.texts_to_matrix(TEXTS[:2] + ["zzz cat"], mode="tfidf")
    assert tfidf.shape == (3, 15) and tfidf.dtype == np.float64
    np.testing.assert_allclose(tfidf[0, :8], [0.0, 1.434599983409, 0.847297860387, 0, 0,
                                              1.098612288668, 1.098612288668, 1.098612288668])
    np.testing.assert_allclose(tfidf[2], np.eye(15)[2] * 0.847297860387)


def test_tokenizer_num_words_and_oov_token():
    tok = T.Tokenizer(oov_token="<OOV>", num_words=6)
    tok.fit_on_texts(TEXTS)
    assert (tok.word_index["<OOV>"], tok.word_index["the"], tok.word_index["web"]) == (1, 2, 15)
    assert tok.texts_to_sequences(TEXTS[:2] + ["unknown cat words here"]) == [
        [2, 3, 1, 1, 2, 1], [2, 4, 1, 1, 1], [1, 3, 1, 1]]
    assert tok.sequences_to_texts([[1, 2, 3, 99], [5, 4, 7, 1]]) == [
        "<OOV> the cat <OOV>", "and dog <OOV> <OOV>"]
    tok = T.Tokenizer(num_words=5)
    tok.fit_on_texts(TEXTS)
    docs = TEXTS[:2] + ["zzz cat"]
    assert tok.texts_to_matrix(docs, mode="count").tolist() == [
        [0, 2, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0]]
    np.testing.assert_allclose(tok.texts_to_matrix(docs, mode="freq")[0], [0, 2 / 3, 1 / 3, 0, 0])
    assert tok.texts_to_matrix(docs).tolist()[1] == [0, 1, 0, 1, 0]
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        tok.texts_to_matrix(docs, mode="bm25")


def test_char_level_and_fit_on_sequences():
    tok = T.Tokenizer(char_level=True)
    tok.fit_on_texts(TEXTS)
    assert tok.texts_to_sequences(["Hello"])[0] == [7, 3, 13, 13, 5]
    tok = T.Tokenizer(num_words=8)
    tok.fit_on_sequences([[1, 2, 2], [2, 5]])
    np.testing.assert_allclose(tok.sequences_to_matrix([[1, 2, 2, 7, 9]], mode="tfidf"),
                               [[0, 0.69314718056, 0.864902964637, 0, 0, 0, 0, 1.098612288668]])
    with pytest.raises(ValueError, match="Specify a dimension"):
        T.Tokenizer().texts_to_matrix(["a"])
    with pytest.raises(ValueError, match="before using tfidf mode"):
        T.Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")


def test_to_json_round_trip():
    tok = T.Tokenizer(num_words=5)
    tok.fit_on_texts(TEXTS)
    text = tok.to_json()
    config = json.loads(text)["config"]
    assert json.loads(text)["class_name"] == "Tokenizer" and config["document_count"] == 4
    assert json.loads(config["index_word"])["4"] == "and"
    back = T.tokenizer_from_json(text)
    assert back.texts_to_sequences(TEXTS[:2]) == [[1, 2, 1], [1, 3]]
    np.testing.assert_array_equal(back.texts_to_matrix(TEXTS, mode="tfidf"),
                                  tok.texts_to_matrix(TEXTS, mode="tfidf"))
