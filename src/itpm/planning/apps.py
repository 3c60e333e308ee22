from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "itpm.planning"
    label = "planning"
