"""The team leader's deadline dashboard (Danish UI): panels, drill-down, CSV export, reassignment.

Aggregates come from :mod:`dashboard.selectors` (one SQL statement per panel, with the
municipality's own rules from its catalogue); these views only pick the scope from the filters
(``filtre``), shape the numbers for the charts and tables (``paneler_*``), and link every number to
its drill-down (``udtraek``). Citizen data is shown only in the drill-down and the export, both
read through the selectors and logged with ``audit.record_read``. CPR numbers appear masked only.
"""

from .filtre import Filtre
from .oversigt import byg_paneler, dashboard
from .tildel import forloeb_tildel
from .udtraek import dashboard_csv, dashboard_sager

__all__ = ["Filtre", "byg_paneler", "dashboard", "dashboard_csv", "dashboard_sager", "forloeb_tildel"]
