from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictitious demo data (``manage.py demodata``): citizens and forløb at every step."""

    name = "demo"
    verbose_name = "Demodata"
