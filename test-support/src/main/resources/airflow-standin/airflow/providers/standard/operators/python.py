"""PythonOperator as in Airflow 3 (`airflow.providers.standard.operators.python`).

With AIRFLOW_STANDIN_MAJOR=2 in the environment this module is absent, as it is under Airflow 2,
so that a DAG file's Airflow 2 import path can be exercised too.
"""
import os

if os.environ.get("AIRFLOW_STANDIN_MAJOR") == "2":
    raise ImportError("No module named 'airflow.providers.standard' (Airflow 2 stand-in)")

from airflow.operators.python import PythonOperator  # noqa: E402

__all__ = ["PythonOperator"]
