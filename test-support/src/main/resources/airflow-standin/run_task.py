"""Runs one task of a DAG file the way an Airflow worker does, under the `airflow` stand-in.

    python3 run_task.py DAG_FILE TASK_ID --run-id RUN_ID [--conf JSON] [--dag-id ID]
                        [--logical-date ISO8601]

The DAG file is imported as the DAG processor imports it (a fresh module named after the file),
the task is looked up in the DAG, and its `execute` runs with the task context (`run_id`,
`dag_run` with `.conf` and `.run_id`, `ti`, `logical_date`, `dag`, `task`, `params`, `ds`, `ts`).
When it raises, the task's `on_failure_callback` is called with that context plus `exception`,
the traceback goes to stderr and the exit code is 1; otherwise `on_success_callback` is called
and the exit code is 0. Exit code 2: the DAG file, the DAG or the task could not be loaded.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import traceback

import pendulum
from airflow import DAG


class DagRun:
    def __init__(self, dag_id, run_id, conf, logical_date):
        self.dag_id = dag_id
        self.run_id = run_id
        self.conf = conf
        self.logical_date = logical_date
        self.run_type = "manual" if run_id.startswith("manual__") else "scheduled"

    def __repr__(self):
        return f"<DagRun {self.dag_id} @ {self.logical_date}: {self.run_id}>"


class TaskInstance:
    def __init__(self, task, run_id):
        self.task = task
        self.task_id = task.task_id
        self.dag_id = task.dag_id
        self.run_id = run_id
        self.try_number = 1
        self.map_index = -1
        self.state = "running"
        self._xcom = {}

    def xcom_push(self, key, value):
        self._xcom[key] = value

    def xcom_pull(self, task_ids=None, key="return_value"):
        return self._xcom.get(key)


def load_dag(dag_file, dag_id):
    # Airflow imports each DAG file as a module of its own, named after a hash of its path.
    digest = hashlib.sha1(os.path.abspath(dag_file).encode()).hexdigest()
    name = "unusual_prefix_" + digest + "_" + os.path.splitext(os.path.basename(dag_file))[0]
    spec = importlib.util.spec_from_file_location(name, dag_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    dags = [value for value in vars(module).values() if isinstance(value, DAG)]
    if dag_id is not None:
        dags = [dag for dag in dags if dag.dag_id == dag_id]
    if len(dags) != 1:
        raise LookupError(f"expected one DAG in {dag_file}, found {[d.dag_id for d in dags]}")
    return dags[0]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dag_file")
    parser.add_argument("task_id")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--conf", default="{}")
    parser.add_argument("--dag-id")
    parser.add_argument("--logical-date")
    args = parser.parse_args(argv)

    try:
        dag = load_dag(args.dag_file, args.dag_id)
        task = dag.get_task(args.task_id)
    except Exception:  # noqa: BLE001 - any import error is a load failure, as in Airflow
        traceback.print_exc()
        return 2

    logical_date = pendulum.parse(args.logical_date) if args.logical_date else pendulum.now("UTC")
    dag_run = DagRun(dag.dag_id, args.run_id, json.loads(args.conf), logical_date)
    ti = TaskInstance(task, args.run_id)
    context = {
        "dag": dag,
        "task": task,
        "ti": ti,
        "task_instance": ti,
        "dag_run": dag_run,
        "run_id": args.run_id,
        "logical_date": logical_date,
        "ds": logical_date.strftime("%Y-%m-%d"),
        "ts": logical_date.isoformat(),
        "params": dict(dag.params),
    }
    print(f"Running <TaskInstance: {dag.dag_id}.{task.task_id} {args.run_id}>", flush=True)
    try:
        result = task.execute(context)
        if result is not None:
            ti.xcom_push("return_value", result)
    except Exception as error:  # noqa: BLE001 - every failure goes to the failure callback
        traceback.print_exc()
        ti.state = "failed"
        print(f"Marking task as FAILED. dag_id={dag.dag_id}, task_id={task.task_id}, "
              f"run_id={args.run_id}", file=sys.stderr, flush=True)
        if task.on_failure_callback is not None:
            callbacks = task.on_failure_callback
            for callback in callbacks if isinstance(callbacks, list) else [callbacks]:
                callback({**context, "exception": error})
        return 1
    ti.state = "success"
    print(f"Marking task as SUCCESS. dag_id={dag.dag_id}, task_id={task.task_id}, "
          f"run_id={args.run_id}", flush=True)
    if task.on_success_callback is not None:
        callbacks = task.on_success_callback
        for callback in callbacks if isinstance(callbacks, list) else [callbacks]:
            callback(context)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
