"""``tf.estimator.Exporter``s: what ``train_and_evaluate`` does with a model after an
evaluation (``EvalSpec(exporters=...)``): ``LatestExporter`` exports each evaluated
checkpoint as a SavedModel, keeping the newest ``exports_to_keep``; ``FinalExporter`` only
the last one."""

from __future__ import annotations

import logging
import os
import shutil

_log = logging.getLogger("tensorflow")


class Exporter:
    """Base class: a ``name`` and ``export(estimator, export_path, checkpoint_path,
    eval_result, is_the_final_export)``."""

    @property
    def name(self):
        raise NotImplementedError

    def export(self, estimator, export_path, checkpoint_path, eval_result, is_the_final_export):
        raise NotImplementedError


class _SavedModelExporter(Exporter):
    def __init__(self, name, serving_input_receiver_fn, assets_extra=None, as_text=False):
        self._name = name
        self._serving_input_receiver_fn = serving_input_receiver_fn
        self._assets_extra = assets_extra
        self._as_text = as_text

    @property
    def name(self):
        return self._name

    def export(self, estimator, export_path, checkpoint_path, eval_result, is_the_final_export):
        return estimator.export_saved_model(
            export_path,
            self._serving_input_receiver_fn,
            assets_extra=self._assets_extra,
            as_text=self._as_text,
            checkpoint_path=checkpoint_path,
        )


class FinalExporter(_SavedModelExporter):
    """Exports the model once, after the final evaluation of ``train_and_evaluate``."""

    def export(self, estimator, export_path, checkpoint_path, eval_result, is_the_final_export):
        if not is_the_final_export:
            return None
        _log.info("Performing the final export in the end of training.")
        return super().export(estimator, export_path, checkpoint_path, eval_result, True)


class LatestExporter(_SavedModelExporter):
    """Exports the model after each evaluation, keeping the newest ``exports_to_keep``
    SavedModels (``None``: all)."""

    def __init__(
        self, name, serving_input_receiver_fn, assets_extra=None, as_text=False, exports_to_keep=5
    ):
        super().__init__(name, serving_input_receiver_fn, assets_extra, as_text)
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError("`exports_to_keep`, if provided, must be positive number")
        self._exports_to_keep = exports_to_keep

    def export(self, estimator, export_path, checkpoint_path, eval_result, is_the_final_export):
        result = super().export(
            estimator, export_path, checkpoint_path, eval_result, is_the_final_export
        )
        if self._exports_to_keep is not None:
            versions = sorted(
                int(name) for name in os.listdir(export_path) if len(name) == 10 and name.isdigit()
            )
            for version in versions[: -self._exports_to_keep]:
                shutil.rmtree(os.path.join(export_path, str(version)), ignore_errors=True)
        return result


class BestExporter(Exporter):
    """Not supported: raises ``NotImplementedError``."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "tf.estimator.BestExporter is not supported: it reads past evaluations back from "
            "events files. Use tf.estimator.LatestExporter, and pick the best export by the "
            "dicts train_and_evaluate's evaluations return."
        )
