"""Airflow's exception names, as far as DAG files and the stand-in use them."""


class AirflowException(Exception):
    """The base of Airflow's exceptions."""


class DuplicateTaskIdFound(AirflowException):
    """A task id used twice in one DAG."""


class AirflowSkipException(AirflowException):
    """Raised by a task to end as skipped."""


class AirflowFailException(AirflowException):
    """Raised by a task to fail without retrying."""
