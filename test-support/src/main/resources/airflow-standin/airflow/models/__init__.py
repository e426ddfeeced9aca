from airflow import DAG
from airflow.models.baseoperator import BaseOperator

__all__ = ["DAG", "BaseOperator"]
