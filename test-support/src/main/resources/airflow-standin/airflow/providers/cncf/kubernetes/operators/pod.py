"""KubernetesPodOperator stand-in (apache-airflow-providers-cncf-kubernetes).

Checks the arguments a real operator needs (image, namespace, a DNS-1123 pod name, lists of
strings for `cmds` and `arguments`, a dict of strings for `env_vars`, `Secret`s), then "runs the
pod" as the container would run its command: `cmds + arguments` as a local process whose
environment is only `env_vars`, the env secrets (valued from AIRFLOW_STANDIN_SECRET__<SECRET>__<KEY>
of the worker) and the worker's PATH (so that a recording `java` is found). It prints
`pod image=... namespace=... name=...` first; a non-zero exit raises as a failed pod does.
"""
from __future__ import annotations

import os
import re
import subprocess

from airflow.exceptions import AirflowException
from airflow.models.baseoperator import BaseOperator
from airflow.providers.cncf.kubernetes.secret import Secret

_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


class KubernetesPodOperator(BaseOperator):
    _extra_arguments = {
        "namespace", "image", "name", "cmds", "arguments", "env_vars", "secrets", "get_logs",
        "image_pull_policy", "labels", "annotations", "container_resources", "service_account_name",
        "is_delete_operator_pod", "on_finish_action", "startup_timeout_seconds", "node_selector",
        "tolerations", "affinity", "volumes", "volume_mounts", "in_cluster", "config_file",
        "kubernetes_conn_id", "image_pull_secrets", "security_context", "container_security_context",
    }

    def __init__(self, *, task_id, image=None, namespace=None, name=None, cmds=None,
                 arguments=None, env_vars=None, secrets=None, **kwargs):
        super().__init__(task_id=task_id, **kwargs)
        if not isinstance(image, str) or not image:
            raise AirflowException("KubernetesPodOperator needs an image")
        if namespace is not None and not _NAME.fullmatch(namespace):
            raise AirflowException(f"invalid namespace {namespace!r}")
        if name is not None and not _NAME.fullmatch(name):
            raise AirflowException(f"invalid pod name {name!r}")
        for label, values in (("cmds", cmds), ("arguments", arguments)):
            if values is not None and not all(isinstance(v, str) for v in values):
                raise AirflowException(f"{label} must be a list of strings: {values!r}")
        if env_vars is not None and not all(
            isinstance(k, str) and isinstance(v, str) for k, v in dict(env_vars).items()
        ):
            raise AirflowException(f"env_vars must map strings to strings: {env_vars!r}")
        if secrets is not None and not all(isinstance(s, Secret) for s in secrets):
            raise AirflowException("secrets must be Secret objects")
        self.image = image
        self.namespace = namespace
        self.name = name
        self.cmds = list(cmds or [])
        self.arguments = list(arguments or [])  # as the real operator: the container's args
        self.env_vars = dict(env_vars or {})
        self.secrets = list(secrets or [])

    def execute(self, context):
        for label, values in (("cmds", self.cmds), ("arguments", self.arguments)):
            if not all(isinstance(v, str) for v in values):
                raise AirflowException(f"{label} must be a list of strings: {values!r}")
        print(f"pod image={self.image} namespace={self.namespace} name={self.name}", flush=True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        env.update(self.env_vars)
        for secret in self.secrets:
            if secret.deploy_type == "env":
                value = secret.stand_in_value(os.environ)
                if value is not None:
                    env[secret.deploy_target] = value
        completed = subprocess.run(self.cmds + self.arguments, env=env)
        if completed.returncode != 0:
            raise AirflowException(f"Pod returned a failure: exit code {completed.returncode}")
