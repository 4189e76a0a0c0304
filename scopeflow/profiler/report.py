"""The profiler's text: the options block, the docs of the selected columns, and the rows of
a ``scope`` or ``op`` profile in TF's layout."""

from __future__ import annotations

from scopeflow.profiler.tree import ROOT, SCOPE_PARENT

_OPTION_ORDER = (
    "max_depth",
    "min_bytes",
    "min_peak_bytes",
    "min_residual_bytes",
    "min_output_bytes",
    "min_micros",
    "min_accelerator_micros",
    "min_cpu_micros",
    "min_params",
    "min_float_ops",
    "min_occurrence",
    "step",
    "order_by",
    "account_type_regexes",
    "start_name_regexes",
    "trim_name_regexes",
    "show_name_regexes",
    "hide_name_regexes",
    "account_displayed_op_only",
    "select",
    "output",
)
_TIME_DOCS = (
    "total execution time: Sum of accelerator execution time and cpu execution time.",
    "cpu execution time: The time from the start to the end of the operation. It's the sum of"
    " actual cpu run time plus the time that it spends waiting if part of computation is"
    " launched asynchronously.",
    "accelerator execution time: Time spent executing on the accelerator. This is normally"
    " measured by the actual hardware library.",
)
_DOCS = {
    "scope": (
        "scope: The nodes in the model graph are organized by their names, which is"
        " hierarchical like filesystem.",
    ),
    "op": (
        "op: The nodes are operation kernel type, such as MatMul, Conv2D. Graph nodes"
        " belonging to the same type are aggregated together.",
    ),
    "bytes": ("requested bytes: The memory requested by the operation, accumulatively.",),
    "peak_bytes": (
        "peak bytes: The peak amount of memory that the operation is holding at some point.",
    ),
    "residual_bytes": (
        "residual bytes: The memory not de-allocated after the operation finishes.",
    ),
    "output_bytes": (
        "output bytes: The memory that is output from the operation (not"
        " necessarily allocated by the operation)",
    ),
    "device": ("device: which device is placed on.",),
    "float_ops": (
        "flops: Number of float operations. Note: Please read the implementation for"
        " the math behind it.",
    ),
    "input_shapes": ("input shape: The shape of input tensors",),
    "micros": _TIME_DOCS,
    "accelerator_micros": _TIME_DOCS[2:],
    "cpu_micros": _TIME_DOCS[1:2],
    "occurrence": ("occurrence: The number of times it occurs",),
    "op_types": (
        "op_types: The attributes of the operation, includes the Kernel name device"
        " placed on and user-defined strings.",
    ),
    "params": ("param: Number of parameters (in the Variable).",),
    "tensor_value": ("tensor_value: Not supported now.",),
}
# columns in the order TF prints them: (select word, header, stat, how a value reads)
_COLUMNS = {
    "params": ("# parameters", "parameters", lambda v: f"{format_number(v)} params"),
    "float_ops": ("# float_ops", "float_ops", lambda v: f"{format_number(v)} flops"),
    "bytes": ("requested bytes", "requested_bytes", lambda v: format_memory(v)),
    "peak_bytes": ("peak bytes", "peak_bytes", lambda v: format_memory(v)),
    "residual_bytes": ("residual bytes", "residual_bytes", lambda v: format_memory(v)),
    "output_bytes": ("output bytes", "output_bytes", lambda v: format_memory(v)),
    "micros": ("total execution time", "exec_micros", lambda v: format_time(v)),
    "accelerator_micros": (
        "accelerator execution time",
        "accelerator_exec_micros",
        lambda v: format_time(v),
    ),
    "cpu_micros": ("cpu execution time", "cpu_exec_micros", lambda v: format_time(v)),
}
_SCOPE_ORDER = (
    "params",
    "float_ops",
    "bytes",
    "peak_bytes",
    "residual_bytes",
    "output_bytes",
    "micros",
    "accelerator_micros",
    "cpu_micros",
    "device",
    "op_types",
    "occurrence",
    "input_shapes",
)
_OP_ORDER = (
    "bytes",
    "peak_bytes",
    "residual_bytes",
    "output_bytes",
    "micros",
    "accelerator_micros",
    "cpu_micros",
    "params",
    "float_ops",
)
_HEADERS = {
    "device": "assigned devices",
    "op_types": "op types",
    "occurrence": "op count (run|defined)",
    "input_shapes": "input shapes",
}


def format_number(value: int) -> str:
    """TF's short count: ``999``, ``1.02k``, ``3.00m``, ``1.20b``."""
    for scale, suffix in ((1e9, "b"), (1e6, "m"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.2f}{suffix}"
    return str(int(value))


def format_memory(value: int) -> str:
    for scale, suffix in ((1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if value >= scale:
            return f"{value / scale:.2f}{suffix}"
    return f"{int(value)}B"


def format_time(micros: int) -> str:
    if micros >= 1e6:
        return f"{micros / 1e6:.2f}sec"
    if micros >= 1e3:
        return f"{micros / 1e3:.2f}ms"
    return f"{int(micros)}us"


def _columns(select, order) -> list[str]:
    chosen = set(select)
    if "micros" in chosen:
        chosen.update(("accelerator_micros", "cpu_micros"))
    return [c for c in order if c in chosen]


def _header(columns) -> str:
    names = [_COLUMNS[c][0] if c in _COLUMNS else _HEADERS[c] for c in columns]
    return "node name | " + " | ".join(names)


def options_text(options: dict) -> str:
    lines = []
    for key in _OPTION_ORDER:
        value = options.get(key, "" if key.endswith(("regexes", "select", "output")) else 0)
        if key == "output":
            kind, _, rest = str(value).partition(":")
            value = f"{kind}:{rest}"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(sorted(set(value))) if key == "select" else ",".join(value)
        lines.append(f"-{key:<27}{value}")
    return "\n".join(lines) + "\n"


def _docs(cmd: str, select) -> str:
    lines = list(_DOCS[cmd])
    for word in sorted(set(select)):
        lines.extend(_DOCS.get(word, ()))
    return "\nDoc:\n" + "".join(line + "\n" for line in lines) + "\n"


def scope_text(root, shown: dict, options: dict) -> str:
    select = options.get("select", [])
    columns = _columns(select, _SCOPE_ORDER)
    rows = [_header(columns)]

    def walk(proto, depth: int) -> None:
        node, accounted = shown[id(proto)]
        fields = [_scope_field(c, proto, node, accounted) for c in columns]
        if node.shape and node.name != ROOT and "params" in columns:
            fields.insert(0, "x".join(str(d) for d in node.shape))
        text = ", ".join(f for f in fields if f is not None)
        rows.append(f"{'  ' * depth}{proto.name} ({text})")
        for child in proto.children:
            walk(child, depth + 1)

    walk(root, 0)
    return _docs("scope", select) + "Profile:\n" + "".join(r + "\n" for r in rows)


def _scope_field(column: str, proto, node, accounted: bool) -> str | None:
    if column in _COLUMNS:
        _, stat, show = _COLUMNS[column]
        own = show(getattr(proto, stat)) if accounted else "--"
        total = show(getattr(proto, "total_" + stat))
        unit = total.partition(" ")[2]
        own = own.partition(" ")[0]
        return f"{own}/{total}" if not unit else f"{own}/{total.partition(' ')[0]} {unit}"
    if column == "device":
        return ",".join(proto.devices) or None
    if column == "op_types":
        return SCOPE_PARENT if node.op is None else "|".join(sorted(node.types))
    if column == "occurrence":
        run, defined = (proto.run_count, 1) if accounted else ("--", "--")
        return f"{run}/{proto.total_run_count}|{defined}/{proto.total_definition_count}"
    return ""  # input shapes: what TF shows without run metadata


def op_text(groups: list, root, options: dict) -> str:
    select = options.get("select", [])
    columns = _columns(select, _OP_ORDER)
    rows = [_header(columns)]
    for group in groups:
        fields = []
        for column in columns:
            _, stat, show = _COLUMNS[column]
            whole = getattr(root, "total_" + stat)
            below = getattr(group, "total_" + stat)
            own = getattr(group, stat)
            value = show(own).replace(" flops", " float_ops")
            fields.append(f"{value} ({_percent(below, whole)}, {_percent(own, whole)})".rjust(30))
        rows.append(f"{group.name:<25}" + ", ".join(fields))
    return _docs("op", select) + "Profile:\n" + "".join(r + "\n" for r in rows)


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole if whole else 0.0:.2f}%"


def stdout_text(body: str, options: dict) -> str:
    """What TF prints for a profile sent to stdout: the options, then the report."""
    return (
        "\n=========================Options=============================\n"
        + options_text(options)
        + "\n==================Model Analysis Report======================\n"
        + body
        + "\n======================End of Report==========================\n"
    )
