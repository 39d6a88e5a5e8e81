from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The team leader's deadline dashboard: figures, drill-downs, CSV export, reassignment."""

    name = "dashboard"
    verbose_name = "Dashboard"
