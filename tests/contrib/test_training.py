"""tf.contrib.training.HParams: types kept, parse/JSON/dict overrides, TF1's errors."""

from __future__ import annotations

import pytest

from scopeflow.contrib.training import HParams


def _hparams():
    return HParams(lr=0.1, steps=10, layers=[64, 32], act="relu", bn=False)


def test_parse_overrides_with_each_type():
    hp = _hparams().parse("lr=1,steps=20,layers=[8, 4 ,2],act=tanh,bn=true")
    assert hp.values() == {"lr": 1.0, "steps": 20, "layers": [8, 4, 2], "act": "tanh", "bn": True}
    assert isinstance(hp.lr, float)
    assert _hparams().parse("bn=1").bn is True and _hparams().parse("bn=False").bn is False
    assert _hparams().parse("").values() == _hparams().values()
    assert _hparams().parse("layers=[]").layers == []


@pytest.mark.parametrize(
    "text, error, words",
    [
        ("steps=1.5", ValueError, "Could not parse hparam 'steps' of type 'int' with value '1.5'"),
        ("nope=1", ValueError, "Unknown hyperparameter type for nope"),
        ("lr=1,lr=2", ValueError, "Multiple assignments to variable 'lr'"),
        ("lr", ValueError, "Malformed hyperparameter value: lr"),
        ("bn=maybe", ValueError, "Could not parse hparam 'bn'"),
        ("layers[0]=3", NotImplementedError, "assign the whole list"),
    ],
)
def test_parse_errors(text, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[")):
        _hparams().parse(text)


def test_set_hparam_casts_and_refuses():
    hp = _hparams()
    hp.set_hparam("lr", 3)
    assert hp.lr == 3.0 and isinstance(hp.lr, float)
    with pytest.raises(ValueError, match="Could not cast hparam 'steps'"):
        hp.set_hparam("steps", 2.5)
    with pytest.raises(ValueError, match="Could not cast hparam 'bn'"):
        hp.set_hparam("bn", 1)
    with pytest.raises(ValueError, match="Must not pass a list for single-valued parameter: lr"):
        hp.set_hparam("lr", [1.0])
    with pytest.raises(ValueError, match="Must pass a list for multi-valued parameter: layers"):
        hp.set_hparam("layers", 3)
    with pytest.raises(KeyError):
        hp.set_hparam("unknown", 3)


def test_add_get_delete_json_and_str():
    hp = _hparams()
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: parse"):
        hp.add_hparam("parse", 1)
    with pytest.raises(ValueError, match="cannot be empty: empty"):
        hp.add_hparam("empty", [])
    hp.add_hparam("extra", "x")
    assert "extra" in hp and hp.get("extra") == "x" and hp.get("missing", 7) == 7
    with pytest.raises(ValueError, match="incompatible with default=1"):
        hp.get("extra", 1)
    hp.del_hparam("extra")
    assert "extra" not in hp
    again = _hparams().parse_json(hp.parse("steps=3").to_json())
    assert again.steps == 3
    assert _hparams().override_from_dict({"act": "elu"}).act == "elu"
    assert str(HParams(b=1, a=2)) == "[('a', 2), ('b', 1)]"
    assert repr(HParams(a=2)) == "HParams([('a', 2)])"
