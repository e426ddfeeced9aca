"""Secret as in apache-airflow-providers-cncf-kubernetes: a Kubernetes secret exposed to a pod."""
from __future__ import annotations


class Secret:
    def __init__(self, deploy_type, deploy_target, secret, key=None, items=None):
        if deploy_type not in ("env", "volume"):
            raise ValueError("Only 'env' and 'volume' are valid deploy types")
        if deploy_type == "env" and (not deploy_target or key is None):
            raise ValueError("An env secret needs a target variable and a key")
        self.deploy_type = deploy_type
        self.deploy_target = deploy_target
        self.secret = secret
        self.key = key
        self.items = items

    def stand_in_value(self, environ):
        """The secret's value in the stand-in: AIRFLOW_STANDIN_SECRET__<SECRET>__<KEY>."""
        name = "AIRFLOW_STANDIN_SECRET__%s__%s" % (self.secret, self.key)
        return environ.get(name.replace("-", "_").upper())
