from django.apps import AppConfig


class TimesheetsConfig(AppConfig):
    name = "itpm.timesheets"
    label = "timesheets"
