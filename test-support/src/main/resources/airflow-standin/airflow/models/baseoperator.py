"""BaseOperator: the task id, the DAG it belongs to, the callbacks, and Airflow's argument names."""
from __future__ import annotations

import airflow
from airflow.exceptions import AirflowException

_BASE_ARGUMENTS = {
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "ignore_first_depends_on_past", "wait_for_past_depends_before_skipping", "wait_for_downstream",
    "dag", "params", "default_args", "priority_weight", "weight_rule", "queue", "pool",
    "pool_slots", "sla", "execution_timeout", "on_execute_callback", "on_failure_callback",
    "on_success_callback", "on_retry_callback", "on_skipped_callback", "pre_execute",
    "post_execute", "trigger_rule", "resources", "run_as_user", "task_concurrency",
    "max_active_tis_per_dag", "max_active_tis_per_dagrun", "executor", "executor_config",
    "do_xcom_push", "multiple_outputs", "inlets", "outlets", "task_group", "doc", "doc_md",
    "doc_json", "doc_yaml", "doc_rst", "task_display_name", "logger_name", "allow_nested_operators",
}


class BaseOperator:
    """What every operator has: a validated task id, its DAG, callbacks and arguments."""

    _extra_arguments: set = set()

    def __init__(self, task_id: str, dag=None, **kwargs):
        unknown = sorted(set(kwargs) - _BASE_ARGUMENTS - self._extra_arguments)
        if unknown:
            raise TypeError(
                f"Invalid arguments were passed to {type(self).__name__} "
                f"(task_id: {task_id}). Invalid arguments were:\n**kwargs: "
                f"{ {name: kwargs[name] for name in unknown} }"
            )
        airflow.validate_key("task", task_id)
        self.task_id = task_id
        self.dag = dag or airflow.current_dag()
        defaults = dict(self.dag.default_args) if self.dag is not None else {}
        arguments = {**defaults, **kwargs}
        self.arguments = arguments
        self.on_failure_callback = arguments.get("on_failure_callback")
        self.on_success_callback = arguments.get("on_success_callback")
        self.on_execute_callback = arguments.get("on_execute_callback")
        self.retries = arguments.get("retries", 0)
        if self.dag is not None:
            self.dag.add_task(self)

    @property
    def dag_id(self):
        return self.dag.dag_id if self.dag is not None else None

    def execute(self, context):
        raise AirflowException(f"{type(self).__name__} does not implement execute")

    def __repr__(self):
        return f"<Task({type(self).__name__}): {self.task_id}>"
