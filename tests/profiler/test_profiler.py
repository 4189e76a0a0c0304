"""tf.profiler.profile's trees, totals and tables: each expected value is what TF 2.21's
profiler gave for the same graph (compat.v1 graph mode)."""

from __future__ import annotations

import pytest

import scopeflow as tf

PB = tf.profiler.ProfileOptionBuilder


def _model() -> tf.Graph:
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [4, 8], name="x")
        with tf.variable_scope("dense"):
            w = tf.get_variable("w", [8, 16])
            b = tf.get_variable("b", [16])
            y = tf.nn.bias_add(tf.matmul(x, w), b)
        y * 2.0 + 1.0
        tf.matmul(tf.placeholder(tf.float32, [None, 8], name="z"), w)  # shape not known
        img = tf.placeholder(tf.float32, [2, 10, 10, 3])
        with tf.variable_scope("conv"):
            k = tf.get_variable("k", [3, 3, 3, 5])
            c = tf.nn.conv2d(img, k, [1, 1, 1, 1], "SAME")
            with tf.variable_scope("inner"):
                k2 = tf.get_variable("k2", [1, 1, 5, 2])
                bias = tf.get_variable("bias", [2], trainable=False)
                c2 = tf.nn.conv2d(c, k2, [1, 1, 1, 1], "VALID") + bias
        tf.reduce_sum(c2)
        tf.train.get_or_create_global_step()
    return g


def _quiet(options: dict) -> dict:
    return PB(options).with_empty_output().build()


def _tree(node, depth=0) -> list[str]:
    rows = [
        f"{'  ' * depth}{node.name} {node.parameters}/{node.total_parameters} "
        f"{node.float_ops}/{node.total_float_ops}"
    ]
    for child in node.children:
        rows += _tree(child, depth + 1)
    return rows


def test_trainable_parameters_by_scope(tmp_path):
    path = tmp_path / "params.txt"
    options = PB(PB.trainable_variables_parameter()).with_file_output(str(path)).build()
    result = tf.profiler.profile(_model(), options=options)
    assert result.total_parameters == 289
    assert [c.name for c in result.children] == ["conv", "dense"]
    assert result.children[0].total_definition_count == 4
    assert path.read_text().split("Profile:\n")[1] == (
        "node name | # parameters\n"
        "_TFProfRoot (--/289 params)\n"
        "  conv (--/145 params)\n"
        "    conv/inner (--/10 params)\n"
        "      conv/inner/k2 (1x1x5x2, 10/10 params)\n"
        "    conv/k (3x3x3x5, 135/135 params)\n"
        "  dense (--/144 params)\n"
        "    dense/b (16, 16/16 params)\n"
        "    dense/w (8x16, 128/128 params)\n"
    )


def test_float_operations_reparent_hidden_nodes_and_skip_unknown_shapes(capsys):
    result = tf.profiler.profile(_model(), options=PB.float_operation())
    captured = capsys.readouterr()
    assert result.total_float_ops == 60602
    assert result.total_definition_count == 24
    assert _tree(result)[:6] == [
        "_TFProfRoot 0/0 0/60602",
        "  conv/Conv2D 0/0 54000/54000",
        "  conv/inner/Conv2D 0/0 4000/4000",
        "  dense/MatMul 0/0 1024/1024",
        "  conv/inner/add 0/0 400/400",
        "  Sum 0/0 399/399",
    ]
    assert "  conv/k/Initializer/random_uniform (135/271 flops)\n" in captured.out
    assert captured.out.startswith(
        "\n=========================Options=============================\n"
        "-max_depth                  10000\n"
    )
    assert "-select                     float_ops\n-output                     stdout:\n" in (
        captured.out
    )
    assert captured.out.endswith(
        "\n======================End of Report==========================\n"
    )
    assert captured.err == "1 ops no flops stats due to incomplete shapes.\n"


def test_depth_trim_start_and_accounting_options():
    g = _model()
    trainable = PB.trainable_variables_parameter()
    assert (
        tf.profiler.profile(
            g, options=_quiet(PB(trainable).with_max_depth(1).build())
        ).total_parameters
        == 0
    )
    trimmed = tf.profiler.profile(
        g, options=_quiet(PB(trainable).with_node_names(trim_name_regexes=["conv/inner"]).build())
    )
    assert _tree(trimmed)[:3] == [
        "_TFProfRoot 0/279 0/0",
        "  conv 0/135 0/0",
        "    conv/inner 0/0 0/0",
    ]
    started = tf.profiler.profile(
        g, options=_quiet(PB(trainable).with_node_names(start_name_regexes=["conv/inner"]).build())
    )
    assert _tree(started) == [
        "_TFProfRoot 0/10 0/0",
        "  conv/inner 0/10 0/0",
        "    conv/inner/k2 10/10 0/0",
    ]
    everything = PB(PB.float_operation()).with_max_depth(2).account_displayed_op_only(False)
    result = tf.profiler.profile(g, options=_quiet(everything.build()))
    assert (result.total_parameters, result.total_float_ops) == (924, 60602)
    assert [c.name for c in result.children] == ["Sum", "add", "mul"]
    assert result.children[1].total_definition_count == 2
    only = PB(PB.float_operation()).with_accounted_types(["MatMul", "Conv2D"]).build()
    assert tf.profiler.profile(g, options=_quiet(only)).total_float_ops == 59024


def test_all_ops_count_placeholder_and_variable_shapes():
    options = PB(PB.float_operation()).select(["params", "float_ops"])
    result = tf.profiler.profile(
        _model(), options=_quiet(options.with_min_float_operations(0).build())
    )
    by_name = {c.name: c for c in result.children}
    assert result.total_parameters == 924
    assert by_name["Placeholder"].parameters == 600
    assert by_name["global_step"].parameters == 1
    assert by_name["z"].parameters == 0
    assert by_name["conv"].total_float_ops == 58697


def test_op_view_chains_types_with_running_totals(tmp_path):
    path = tmp_path / "ops.txt"
    options = PB(PB.float_operation()).with_file_output(str(path)).build()
    result = tf.profiler.profile(_model(), cmd="op", options=options)
    assert type(result).__name__ == "MultiGraphNodeProto"
    first = result.children[0]
    assert (first.name, first.float_ops, first.total_float_ops) == ("Conv2D", 58000, 60602)
    assert [n.name for n in first.graph_nodes] == ["conv/Conv2D", "conv/inner/Conv2D"]
    assert first.children[0].name == "MatMul"
    assert path.read_text().split("Profile:\n")[1] == (
        "node name | # float_ops\n"
        "Conv2D                   58.00k float_ops (100.00%, 95.71%)\n"
        "MatMul                   1.02k float_ops (4.29%, 1.69%)\n"
        "AddV2                      755 float_ops (2.60%, 1.25%)\n"
        "Sum                        399 float_ops (1.36%, 0.66%)\n"
        "Mul                        355 float_ops (0.70%, 0.59%)\n"
        "BiasAdd                     64 float_ops (0.11%, 0.11%)\n"
        "Sub                          5 float_ops (0.01%, 0.01%)\n"
    )


def test_default_options_and_builder_dicts(graph):
    tf.get_variable("big", [1000, 1500])
    result = tf.profiler.profile(options=_quiet(PB.trainable_variables_parameter()))
    assert result.total_parameters == 1500000
    assert PB().build() == {
        "max_depth": 100,
        "min_bytes": 0,
        "min_micros": 0,
        "min_params": 0,
        "min_float_ops": 0,
        "min_occurrence": 0,
        "order_by": "name",
        "account_type_regexes": [".*"],
        "start_name_regexes": [".*"],
        "trim_name_regexes": [],
        "show_name_regexes": [".*"],
        "hide_name_regexes": [],
        "account_displayed_op_only": False,
        "select": ["micros"],
        "step": -1,
        "output": "stdout",
    }
    timed = PB.time_and_memory(min_micros=5, min_bytes=3, min_accelerator_micros=2)
    assert (timed["min_micros"], timed["min_bytes"], timed["order_by"]) == (5, 3, "micros")
    assert timed["select"] == ["micros", "bytes"]
    assert PB().with_file_output("/x/y").build()["output"] == "file:outfile=/x/y"
    assert PB().with_empty_output().build()["output"] == "none"


def test_profiler_class_advise_and_errors(graph, capsys):
    tf.matmul(tf.ones([4, 8]), tf.ones([8, 3]))
    profiler = tf.profiler.Profiler(graph)
    profiler.add_step(0, tf.RunMetadata())
    ops = profiler.profile_operations(_quiet(PB.float_operation()))
    assert (ops.total_float_ops, [c.name for c in ops.children]) == (192, ["MatMul"])
    advice = tf.profiler.advise(graph)
    assert sorted(advice.checkers) == [
        "AcceleratorUtilizationChecker",
        "ExpensiveOperationChecker",
        "OperationChecker",
    ]
    assert capsys.readouterr().out == (
        "\nAcceleratorUtilizationChecker:\n\nOperationChecker:\n\nExpensiveOperationChecker:\n"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown cmd: bogus"):
        tf.profiler.profile(graph, cmd="bogus")
    with pytest.raises(NotImplementedError, match="cmd='scope'"):
        profiler.profile_graph(_quiet(PB.float_operation()))


def test_write_op_log_records_float_ops_and_trainable_types(graph, tmp_path):
    tf.get_variable("w", [2, 3])
    tf.matmul(tf.ones([4, 2]), tf.ones([2, 3]), name="mm")
    tf.profiler.write_op_log(graph, str(tmp_path))
    data = (tmp_path / "tfprof_log").read_bytes()
    assert b"\n\x01w\x1a\x14_trainable_variables" in data
    assert b"\n\x02mm\x10\x30" in data  # float_ops 48


def test_a_training_graph_counts_as_tfs():
    """A tf.layers CNN with Adam's training step: TF 2.21 counted these float ops."""
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [8, 28, 28, 1])
        y = tf.placeholder(tf.int32, [8])
        h = tf.layers.conv2d(x, 16, 5, padding="same", activation=tf.nn.relu)
        h = tf.layers.max_pooling2d(h, 2, 2)
        h = tf.layers.conv2d(h, 32, 3, activation=tf.nn.relu)
        h = tf.layers.batch_normalization(h, training=True)
        logits = tf.layers.dense(tf.layers.flatten(h), 10)
        tf.train.AdamOptimizer().minimize(tf.losses.sparse_softmax_cross_entropy(y, logits))
    flops = tf.profiler.profile(g, options=_quiet(PB.float_operation()))
    params = tf.profiler.profile(g, options=_quiet(PB.trainable_variables_parameter()))
    by_type = tf.profiler.profile(g, cmd="op", options=_quiet(PB.float_operation()))
    assert (flops.total_float_ops, params.total_parameters) == (57385685, 51210)
    chain, node = [], by_type.children[0]
    while node is not None:
        chain.append((node.name, node.float_ops))
        node = node.children[0] if node.children else None
    assert chain[:6] == [
        ("Conv2DBackpropFilter", 19468288), ("Conv2DBackpropInput", 19468288),
        ("Conv2D", 15634432), ("MatMul", 2211840), ("BiasAdd", 137296), ("BiasAddGrad", 137238),
    ]  # fmt: skip
    assert chain[6:] == [
        ("MaxPoolGrad", 125440), ("MaxPool", 100352), ("Mul", 51267), ("AddV2", 51088),
        ("Sub", 69), ("AssignSub", 64), ("Sum", 21), ("Equal", 1), ("Neg", 1),
    ]  # fmt: skip
