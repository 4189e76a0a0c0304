"""``initialize``: this process joins the others running the same program (many hosts)."""

from __future__ import annotations

import os

# initialize()'s arguments and the environment variables they default to.
ENVIRONMENT = {
    "coordinator_address": "SCOPEFLOW_COORDINATOR",
    "num_processes": "SCOPEFLOW_NUM_PROCESSES",
    "process_id": "SCOPEFLOW_PROCESS_ID",
}


def initialize(
    coordinator_address: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
    *,
    local_device_ids: list | None = None,
) -> int:
    """Joins this process to a multi-process JAX program (``jax.distributed.initialize``).

    Run the same script on every host: after ``initialize``, ``jax.devices()`` lists the
    devices of all processes, so ``data_parallel(session)`` splits each step's batch over all
    of them; each process feeds its own part of the global batch (its rows), variables stay
    identical everywhere, and fetches return global values. Call it first, before any session
    runs.

    Args:
        coordinator_address: ``"host:port"`` of process 0, which every process reaches;
            default ``$SCOPEFLOW_COORDINATOR``.
        num_processes: how many processes; default ``$SCOPEFLOW_NUM_PROCESSES``.
        process_id: this process's index, 0 on the coordinator; default
            ``$SCOPEFLOW_PROCESS_ID``.
        local_device_ids: the local devices this process uses (default all).

    When none of the three is given by argument or ``SCOPEFLOW_*`` variable, JAX finds them
    itself (its ``JAX_COORDINATOR_ADDRESS``... variables, or a cluster such as SLURM).

    Returns:
        This process's index.

    Raises:
        ValueError: a ``SCOPEFLOW_*`` variable that is not a number where one is needed, or
            a partial setting (an address without a process count...).
    """
    import jax

    given = {"coordinator_address": coordinator_address}
    given.update(num_processes=num_processes, process_id=process_id)
    for name, variable in ENVIRONMENT.items():
        if given[name] is None and os.environ.get(variable):
            value = os.environ[variable]
            if name != "coordinator_address":
                try:
                    value = int(value)
                except ValueError:
                    raise ValueError(
                        f"scopeflow.distribute.initialize: {variable}={value!r} is not an "
                        f"integer: set it to the {name.replace('_', ' ')}."
                    ) from None
            given[name] = value
    missing = [ENVIRONMENT[n] for n, v in given.items() if v is None]
    if len(missing) not in (0, len(ENVIRONMENT)):
        raise ValueError(
            "scopeflow.distribute.initialize: got "
            + ", ".join(f"{n}={v!r}" for n, v in given.items() if v is not None)
            + f" but not {', '.join(missing)} (or the matching argument). Give the "
            "coordinator's address, the number of processes and this process's id together."
        )
    kwargs = {k: v for k, v in given.items() if v is not None}
    if local_device_ids is not None:
        kwargs["local_device_ids"] = local_device_ids
    jax.distributed.initialize(**kwargs)
    return jax.process_index()
