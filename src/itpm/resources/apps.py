from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "itpm.resources"
    label = "resources"
