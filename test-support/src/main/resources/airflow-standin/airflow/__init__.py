"""A minimal stand-in for the `airflow` package, for tests only (Airflow cannot be installed here).

It offers what Modelplane's rendered DAG files use -- `DAG` as a context manager and
`PythonOperator` -- with Airflow's own argument names and checks (unknown arguments are a
TypeError, ids must match Airflow's key pattern, task ids are unique within a DAG), so that a DAG
file that imports and builds here also does under Airflow 2.x and 3.x. `run_task.py` then runs one
task the way a worker does. Scheduling, the metadata database, XCom across tasks, retries and
timeouts are not implemented.
"""
from __future__ import annotations

import re

from airflow.exceptions import AirflowException, DuplicateTaskIdFound

__version__ = "3.0.0-standin"

_KEY = re.compile(r"^[\w.-]+$")
_MAX_KEY_LENGTH = 250

# Only the keyword arguments Airflow's DAG accepts (2.10 and 3.0 together).
_DAG_ARGUMENTS = {
    "description", "schedule", "schedule_interval", "timetable", "start_date", "end_date",
    "full_filepath", "template_searchpath", "template_undefined", "user_defined_macros",
    "user_defined_filters", "default_args", "concurrency", "max_active_tasks", "max_active_runs",
    "max_consecutive_failed_dag_runs", "dagrun_timeout", "sla_miss_callback", "default_view",
    "orientation", "catchup", "on_success_callback", "on_failure_callback", "doc_md", "params",
    "access_control", "is_paused_upon_creation", "jinja_environment_kwargs",
    "render_template_as_native_obj", "tags", "owner_links", "auto_register", "fail_fast",
    "fail_stop", "dag_display_name", "deadline",
}

_context_stack: list["DAG"] = []


def validate_key(kind: str, key: str) -> None:
    if not isinstance(key, str):
        raise TypeError(f"The key has to be a string and is {type(key)}:{key}")
    if len(key) > _MAX_KEY_LENGTH:
        raise AirflowException(f"The key has to be less than {_MAX_KEY_LENGTH} characters")
    if not _KEY.match(key):
        raise AirflowException(
            f"The key {key!r} of the {kind} has to be made of alphanumeric characters, dashes, "
            "dots and underscores exclusively"
        )


class DAG:
    """A DAG: its id, its arguments as given, and its tasks by id."""

    def __init__(self, dag_id: str, **kwargs):
        unknown = sorted(set(kwargs) - _DAG_ARGUMENTS)
        if unknown:
            raise TypeError(f"DAG.__init__() got an unexpected keyword argument {unknown[0]!r}")
        validate_key("DAG", dag_id)
        self.dag_id = dag_id
        self.arguments = dict(kwargs)
        self.schedule = kwargs.get("schedule", kwargs.get("schedule_interval"))
        self.start_date = kwargs.get("start_date")
        self.catchup = kwargs.get("catchup")
        self.is_paused_upon_creation = kwargs.get("is_paused_upon_creation")
        self.max_active_runs = kwargs.get("max_active_runs")
        self.tags = list(kwargs.get("tags") or [])
        self.default_args = dict(kwargs.get("default_args") or {})
        self.params = dict(kwargs.get("params") or {})
        self.on_failure_callback = kwargs.get("on_failure_callback")
        self.on_success_callback = kwargs.get("on_success_callback")
        self.task_dict: dict = {}

    def __enter__(self):
        _context_stack.append(self)
        return self

    def __exit__(self, *exc):
        _context_stack.pop()
        return False

    @property
    def tasks(self):
        return list(self.task_dict.values())

    @property
    def task_ids(self):
        return list(self.task_dict)

    def get_task(self, task_id: str):
        if task_id not in self.task_dict:
            raise AirflowException(f"Task {task_id} not found")
        return self.task_dict[task_id]

    def has_task(self, task_id: str) -> bool:
        return task_id in self.task_dict

    def add_task(self, task) -> None:
        if task.task_id in self.task_dict:
            raise DuplicateTaskIdFound(
                f"Task id '{task.task_id}' has already been added to the DAG"
            )
        self.task_dict[task.task_id] = task

    def __repr__(self):
        return f"<DAG: {self.dag_id}>"


def current_dag():
    return _context_stack[-1] if _context_stack else None


__all__ = ["DAG", "AirflowException"]
