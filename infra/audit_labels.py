"""Danish, citizen-facing labels for audit action codes (access-log extract, UI).

The codes are the ``handling`` values written by :mod:`infra.audit`. A code without a label is
shown as is, so a new action never disappears from a citizen's extract: add its label here.
"""

from __future__ import annotations

from infra.models import ActorType

HANDLING_LABELS: dict[str, str] = {
    # Reads
    "borger.laes": "Så borgerens oplysninger",
    "borger.soeg": "Fandt borgeren ved søgning",
    "borger.liste": "Så borgeren i en liste",
    "dashboard.udtraek": "Så borgeren i et udtræk fra teamlederens dashboard",
    "dashboard.eksport": "Borgeren indgik i en CSV-eksport fra teamlederens dashboard",
    "borger.cpr_vis": "Så det fulde CPR-nummer",
    "journalnotat.cpr_vis": "Så CPR-numre i et journalnotat",
    "borger.adgangslog_udtraek": "Lavede et udtræk af borgerens adgangslog",
    # Changes
    "borger.opret": "Oprettede borgeren",
    "borger.cpr_opslag": "Slog borgeren op i CPR-registeret",
    "borger.register_opdater": "Hentede borgerens oplysninger fra CPR-registeret",
    "borger.register_fejl": "CPR-registeret kunne ikke svare, da borgerens oplysninger skulle hentes",
    "borger.registerhistorik": "Så ændringerne fra CPR-registeret",
    "borger.beskyttet_adresse_vis": "Så borgerens beskyttede adresse",
    "forsendelse.digital_post_afsendt": "Sendte brevet med Digital Post",
    "forsendelse.fysisk_post_i_stedet": "Sendte brevet med fysisk post, da Digital Post ikke kunne leveres",
    "forsendelse.kvittering": "Modtog kvittering for brevets levering",
    "borger.opret_afvist_dublet": "Forsøgte at oprette en borger, der allerede er registreret i kommunen",
    "borger.opdater": "Ændrede borgerens oplysninger",
    "borger.slettet": "Slettede borgeren og sagen (opbevaringsperioden udløbet)",
    "audit.slettet": "Slettede auditlog ældre end opbevaringsperioden",
    "paaroerende.opret": "Registrerede pårørende/bisidder",
    # Employees (no citizen concerned; shown in the back office's audit log)
    "medarbejder.sso_opret": "Oprettede medarbejderen fra kommunens login",
    "medarbejder.sso_opdater": "Opdaterede medarbejderens rolle og teams fra kommunens login",
    "medarbejder.sso_deaktiver": "Lukkede medarbejderens adgang (kommunens login giver ikke længere adgang)",
    # Integrations (technical data; who read it is logged)
    "webhook.liste": "Så kommunens webhook-abonnementer",
    "webhook.laes": "Så et webhook-abonnement",
    "webhook_levering.liste": "Så webhook-leveringsloggen",
    "webhook_levering.laes": "Så en webhook-levering",
    # The forløb
    "forloeb.laes": "Så borgerens forløb",
    "forloeb.liste": "Så forløbet i en liste",
    "forloeb.opret": "Oprettede et forløb",
    "forloeb.tildel": "Overdrog forløbet til en anden sagsbehandler",
    "frist.laes": "Så en frist i forløbet",
    "frist.liste": "Så forløbets frister i en liste",
    "journal.laes": "Læste et journalnotat",
    "journal.liste": "Så journalnotater",
    "journalnotat.opret": "Skrev et journalnotat",
    "tilbud.registrer": "Registrerede et tilbud til borgeren",
    "tilbud.besvar": "Registrerede borgerens svar på et tilbud",
    "tilbud.laes": "Så et tilbud til borgeren",
    "tilbud.liste": "Så tilbud til borgeren i en liste",
    "tilbud.udskriv": "Udskrev oversigten over tilbud til borgeren",
    "aftale.bekraeft": "Registrerede en parts bekræftelse af en aftale",
    "bevilling.laes": "Så en tidligere bevilling til borgeren",
    "bevilling.liste": "Så tidligere bevillinger til borgeren i en liste",
    "fleksjob.bevilling.registrer": "Registrerede en tidligere bevilling (fx hjælpemiddel)",
    "fleksjob.arbejdsevnevurdering.kasser": "Kasserede et udkast til arbejdsevnevurdering",
    # Rehabilitation
    "forberedende_del.laes": "Læste den forberedende del",
    "forberedende_del.liste": "Så den forberedende del i en liste",
    "forberedende_del.opret": "Oprettede den forberedende del",
    "forberedende_del.opdater": "Ændrede den forberedende del",
    "bilag.tilfoej": "Tilføjede et bilag (fx lægeattest)",
    "bilag.fil_hent": "Åbnede filen i et bilag (fx lægeattest)",
    "booking.laes": "Så en booking til rehabiliteringsteamet",
    "booking.liste": "Så bookinger til rehabiliteringsteamet",
    "rehab.moedeoplaeg": "Dannede mødeoplægget (PDF) til rehabiliteringsteamet med borgerens oplysninger",
    "indstilling.laes": "Læste rehabiliteringsteamets indstilling",
    "indstilling.liste": "Så indstillinger i en liste",
    "partshoering.laes": "Læste en partshøring",
    "partshoering.liste": "Så partshøringer i en liste",
    "moede.book": "Bookede møde i rehabiliteringsteamet",
    "moede.flyt": "Flyttede mødet i rehabiliteringsteamet",
    "moede.afholdt": "Registrerede mødet i rehabiliteringsteamet",
    "indstilling.registrer": "Registrerede rehabiliteringsteamets indstilling",
    "partshoering.opret": "Udarbejdede partshøring",
    "partshoering.svar": "Registrerede borgerens svar på partshøring",
    "partshoering.undtag": "Undlod partshøring med begrundelse",
    "partshoering.send": "Udstedte partshøringsbrevet og bad om at få det sendt",
    # Decisions and letters
    "dokument.laes": "Læste en afgørelse eller et brev",
    "dokument.liste": "Så afgørelser og breve i en liste",
    "dokument.opret": "Udarbejdede en afgørelse eller et brev",
    "dokument.hent_fakta": "Hentede oplysninger fra partshøring og indstilling til en afgørelse",
    "dokument.indsaet_standardtekst": "Indsatte en standardtekst i en afgørelse",
    "standardtekst.opret": "Oprettede en standardtekst",
    "standardtekst.opdater": "Ændrede en standardtekst",
    "dokument.opdater": "Ændrede et udkast til afgørelse eller brev",
    "dokument.udsted": "Udstedte en afgørelse eller et brev",
    "dokument.erstattet": "Erstattede en afgørelse med en ny",
    "dokument.pdf": "Dannede PDF af afgørelse eller brev",
    "dokument.pdf_hent": "Hentede PDF af afgørelse eller brev",
    "dokument.afsend": "Sendte en afgørelse eller et brev",
    "dokument.afsend_bestil": "Bad om at få en afgørelse eller et brev sendt, når PDF'en er dannet",
    "dokument.afsend_afvist": "Afsendelsen af en afgørelse eller et brev blev afvist, da PDF'en var dannet",
    "dokument.kasser": "Kasserede et udkast til afgørelse eller brev, som ikke blev udstedt",
    # Complaints
    "klage.modtag": "Registrerede borgerens klage",
    "klage.laes": "Læste en klage",
    "klage.liste": "Så klager i en liste",
    "klage.genvurder": "Genvurderede afgørelsen efter klage",
    "klage.send_til_ankestyrelsen": "Sendte klagen til Ankestyrelsen",
    "klage.ankestyrelsens_resultat": "Registrerede Ankestyrelsens afgørelse",
    "klage.ankepakke_hent": "Hentede klagesagens dokumenter",
}

#: Codes that start with one of these prefixes get the prefix's label (the suffix names the step).
PREFIX_LABELS: dict[str, str] = {
    "forloeb.overgang.": "Flyttede forløbet videre",
    "forloeb.haendelse.": "Registrerede en hændelse i forløbet",
}


def handling_label(handling: str) -> str:
    """The Danish label of an action code; unknown codes are returned unchanged."""
    if handling in HANDLING_LABELS:
        return HANDLING_LABELS[handling]
    for prefix, label in PREFIX_LABELS.items():
        if handling.startswith(prefix):
            return f"{label} ({handling.removeprefix(prefix).replace('_', ' ')})"
    return handling


def actor_type_label(actor_type: str) -> str:
    """ "Medarbejder", "API-klient" or "System"; unknown values unchanged."""
    try:
        return ActorType(actor_type).label
    except ValueError:
        return actor_type
