from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "itpm.governance"
    label = "governance"
    verbose_name = "Risk and forecasts"
