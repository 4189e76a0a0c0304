"""``tf.test.create_local_cluster``: a cluster of workers and parameter servers on
``localhost`` ports, as ``tf.train.Server``s. TF's servers run in the calling process too;
scopeflow's serve no network requests, but sessions on their targets share variables as TF's
do (``scopeflow/session/shared_state.py``), so a test program using them computes the same
values.

>>> workers, ps = create_local_cluster(2, 1)
>>> sorted(workers[0].cluster_spec.jobs), workers[1].task_index, ps[0].job_name
(['ps', 'worker'], 1, 'ps')
"""

from __future__ import annotations

from scopeflow.train.server_lib import ClusterSpec, Server, unused_port

__all__ = ["create_local_cluster"]


def create_local_cluster(
    num_workers: int, num_ps: int, protocol: str = "grpc", worker_config=None, ps_config=None
):
    """``(workers, ps_servers)``: ``num_workers`` ``worker`` and ``num_ps`` ``ps`` servers of
    one ``ClusterSpec`` of ``localhost:<unused port>`` addresses, as TF's."""
    cluster = ClusterSpec(
        {
            "worker": [f"localhost:{unused_port()}" for _ in range(num_workers)],
            "ps": [f"localhost:{unused_port()}" for _ in range(num_ps)],
        }
    )
    workers = [
        Server(cluster, job_name="worker", task_index=i, protocol=protocol,
               config=worker_config, start=True)
        for i in range(num_workers)
    ]  # fmt: skip
    ps_servers = [
        Server(cluster, job_name="ps", task_index=i, protocol=protocol, config=ps_config,
               start=True)
        for i in range(num_ps)
    ]  # fmt: skip
    return workers, ps_servers
