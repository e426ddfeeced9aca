"""PythonOperator as in Airflow 2 (`airflow.operators.python`)."""
from __future__ import annotations

import inspect

from airflow.exceptions import AirflowException
from airflow.models.baseoperator import BaseOperator


def determine_kwargs(python_callable, op_args, context) -> dict:
    """The keyword arguments Airflow passes: all of the context to a callable taking **kwargs,
    otherwise only the names its signature asks for."""
    signature = inspect.signature(python_callable)
    if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()):
        return dict(context)
    positional = list(signature.parameters)[: len(op_args)]
    return {
        name: context[name]
        for name in signature.parameters
        if name in context and name not in positional
    }


class PythonOperator(BaseOperator):
    """Calls `python_callable(*op_args, **op_kwargs, **context)` when the task runs."""

    _extra_arguments = {
        "op_args", "op_kwargs", "templates_dict", "templates_exts", "show_return_value_in_logs",
    }

    def __init__(self, *, python_callable, task_id: str, op_args=None, op_kwargs=None, **kwargs):
        if not callable(python_callable):
            raise AirflowException("`python_callable` param must be callable")
        super().__init__(task_id=task_id, **kwargs)
        self.python_callable = python_callable
        self.op_args = list(op_args or [])
        self.op_kwargs = dict(op_kwargs or {})

    def execute(self, context):
        merged = {**context, **self.op_kwargs}
        kwargs = determine_kwargs(self.python_callable, self.op_args, merged)
        return_value = self.python_callable(*self.op_args, **kwargs)
        print(f"Done. Returned value was: {return_value}", flush=True)
        return return_value
