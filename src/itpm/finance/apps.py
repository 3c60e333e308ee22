from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "itpm.finance"
    label = "finance"
    verbose_name = "Cost and budget"
