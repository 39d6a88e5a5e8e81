from .audit import ActorType, AuditEntry
from .borger import Borger, DigitalPostStatus, Kontaktkanal, Paaroerende, Relation
from .organisation import Jobcenter, Kommune, Rolle, Team, User

__all__ = [
    "ActorType",
    "AuditEntry",
    "Borger",
    "DigitalPostStatus",
    "Jobcenter",
    "Kommune",
    "Kontaktkanal",
    "Paaroerende",
    "Relation",
    "Rolle",
    "Team",
    "User",
]
