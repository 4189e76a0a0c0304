"""``tf.estimator.Exporter``s: what ``train_and_evaluate`` does with a model after an
evaluation (``EvalSpec(exporters=...)``): ``LatestExporter`` exports each evaluated
checkpoint as a SavedModel, keeping the newest ``exports_to_keep``; ``BestExporter`` only
those that beat every earlier evaluation; ``FinalExporter`` only the last one."""

from __future__ import annotations

import glob
import inspect
import logging
import os
import shutil

from scopeflow.summary.records import summary_iterator

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
        _keep_newest_versions(export_path, self._exports_to_keep)
        return result


def _loss_smaller(best_eval_result, current_eval_result):
    """BestExporter's default ``compare_fn``: whether the current evaluation's loss is lower."""
    if not best_eval_result or "loss" not in best_eval_result:
        raise ValueError("best_eval_result cannot be empty or no loss is found in it.")
    if not current_eval_result or "loss" not in current_eval_result:
        raise ValueError("current_eval_result cannot be empty or no loss is found in it.")
    return best_eval_result["loss"] > current_eval_result["loss"]


def _check_compare_fn(compare_fn) -> None:
    if compare_fn is None:
        raise ValueError("`compare_fn` must not be None.")
    args = set(inspect.signature(compare_fn).parameters)
    for needed in ("best_eval_result", "current_eval_result"):
        if needed not in args:
            raise ValueError(f"compare_fn ({compare_fn}) must include {needed} argument.")
    extra = sorted(args - {"best_eval_result", "current_eval_result"})
    if extra:
        raise ValueError(f"compare_fn ({compare_fn}) has following not expected args: {extra}")


def _keep_newest_versions(export_path: str, keep) -> None:
    if keep is None or not os.path.isdir(export_path):
        return
    versions = sorted(
        int(name) for name in os.listdir(export_path) if len(name) == 10 and name.isdigit()
    )
    for version in versions[:-keep]:
        shutil.rmtree(os.path.join(export_path, str(version)), ignore_errors=True)


class BestExporter(Exporter):
    """Exports the model after its first evaluation, then after each that beats the best
    result so far by ``compare_fn`` (default: a lower ``loss``), keeping the newest
    ``exports_to_keep`` SavedModels. The best result starts from the scalar summaries of the
    event files matching ``event_file_pattern`` under the estimator's model_dir (TF's default,
    ``eval/*.tfevents.*``, is an unnamed EvalSpec's directory; a named one writes
    ``eval_<name>``)."""

    def __init__(
        self,
        name="best_exporter",
        serving_input_receiver_fn=None,
        event_file_pattern="eval/*.tfevents.*",
        compare_fn=_loss_smaller,
        assets_extra=None,
        as_text=False,
        exports_to_keep=5,
    ):
        _check_compare_fn(compare_fn)
        if exports_to_keep is not None and exports_to_keep <= 0:
            raise ValueError(
                f"`exports_to_keep`, if provided, must be a positive number. Got {exports_to_keep}"
            )
        self._saved_model = _SavedModelExporter(
            name, serving_input_receiver_fn, assets_extra, as_text
        )
        self._event_file_pattern = event_file_pattern
        self._compare_fn = compare_fn
        self._exports_to_keep = exports_to_keep
        self._model_dir = None
        self._best_eval_result = None
        self._has_exported = False

    @property
    def name(self):
        return self._saved_model.name

    def _best_in_event_files(self, pattern: str):
        best = None
        for path in sorted(glob.glob(pattern)):
            for event in summary_iterator(path):
                if not event.HasField("summary"):
                    continue
                result = {
                    v.tag: v.simple_value for v in event.summary.value if v.HasField("simple_value")
                }
                if result and (best is None or self._compare_fn(best, result)):
                    best = result
        return best

    def export(self, estimator, export_path, checkpoint_path, eval_result, is_the_final_export):
        if self._event_file_pattern and self._model_dir != estimator.model_dir:
            _log.info("Loading best metric from event files.")
            self._model_dir = estimator.model_dir
            pattern = os.path.join(self._model_dir, self._event_file_pattern)
            self._best_eval_result = self._best_in_event_files(pattern)
        better = (
            self._best_eval_result is None
            or not self._has_exported  # this exporter's first export always happens
            or self._compare_fn(
                best_eval_result=self._best_eval_result, current_eval_result=eval_result
            )
        )
        if not better:
            return None
        _log.info("Performing best model export.")
        self._best_eval_result = eval_result
        result = self._saved_model.export(
            estimator, export_path, checkpoint_path, eval_result, is_the_final_export
        )
        _keep_newest_versions(export_path, self._exports_to_keep)
        self._has_exported = True
        return result
