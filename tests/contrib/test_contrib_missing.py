"""tf.contrib modules of TF 1.x that scopeflow has no counterpart for raise TF's AttributeError
(so hasattr is False), saying what to write instead."""

import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    "name, hint",
    [
        ("tensor_forest", "random forests are not implemented"),
        ("boosted_trees", "gradient boosted trees are not implemented"),
    ],
)
def test_missing_contrib_module_names_what_to_use(name, hint):
    with pytest.raises(AttributeError, match=f"has no attribute '{name}'.*{hint}"):
        getattr(tf.contrib, name)
    assert not hasattr(tf.contrib, name)


def test_unknown_contrib_name_keeps_the_plain_message():
    with pytest.raises(AttributeError, match=r"^module 'tf.contrib' has no attribute 'nope'$"):
        tf.contrib.nope  # noqa: B018
