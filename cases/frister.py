"""The deadline engine: events create and close deadlines; a set-based sweep marks and notifies.

Which event starts, meets, lapses or extends which deadline is data in the rule catalogue
(``FristDefinition``), not code. Services call :func:`registrer_haendelse` inside their
transaction; nothing creates or closes a deadline by hand.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from cases import regelkatalog, signals
from infra import audit, datoer

from .models import Forloeb, Frist, FristDefinition, FristStatus, Haendelse

#: Danish labels of events, used in the deadline explanations.
HAENDELSER = {
    "forberedende_plan_start": "Start på forberedende plan",
    "forelagt_rehabiliteringsteam": "Forelagt rehabiliteringsteamet",
    "indstilling": "Indstilling",
    "indstilling_foertidspension": "Indstilling om førtidspension",
    "udsat": "Udsættelse i rehabiliteringsteamet",
    "genforelagt": "Genforelæggelse",
    "overgang": "Overgang til pensionsreglerne",
    "ansoegning_uden_team": "Ansøgning om førtidspension",
    "partshoering_sendt": "Partshøring sendt",
    "partshoering_besvaret": "Partshøring besvaret",
    "partshoering_undtagelse": "Undtagelse fra partshøring",
    "afgoerelse_modtaget": "Afgørelse modtaget",
    "klage_modtaget": "Klage modtaget",
    "genvurdering_medhold": "Genvurdering med medhold",
    "klage_sendt_ankestyrelsen": "Klage sendt til Ankestyrelsen",
    "ressourceforloeb_start": "Start på ressourceforløb",
    "ressourceforloeb_indsats_startet": "Første indsats i ressourceforløbet",
    "ressourceforloeb_samtale_holdt": "Samtale i ressourceforløbet",
    "foranstaltning_slutdato": "Foranstaltningens ophør",
    "afgoerelse_efter_foranstaltning": "Afgørelse om det videre forløb",
    "fleksjob_ansaettelse_start": "Start på fleksjobansættelse",
    "fleksjob_midlertidig_start": "Start på midlertidigt fleksjob",
    "fleksjob_opfoelgning_holdt": "Opfølgning i fleksjob",
    "fleksjob_status_afgoerelse": "Statusafgørelse i fleksjob",
    "afgoerelse_fleksjob_afslag": "Afgørelse om afslag på fleksjob",
    "afgoerelse_ressourceforloeb_afslag": "Afgørelse om afslag på ressourceforløb",
    "arbejdsevnevurdering_udstedt": "Arbejdsevnevurdering udstedt",
    "redegoerelse_sendt": "Redegørelse for forlænget sagsbehandling",
    "tilbud_om_moede_sendt": "Tilbud om møde sendt",
    "afsluttet": "Forløbet afsluttet",
}

#: Events that lapse every open deadline of the forløb.
ALT_BORTFALDER = {"afsluttet"}


@dataclass
class Effekter:
    oprettet: list[Frist] = field(default_factory=list)
    overholdt: list[Frist] = field(default_factory=list)
    overskredet_lukket: list[Frist] = field(default_factory=list)
    bortfaldet: list[Frist] = field(default_factory=list)
    forlaenget: list[Frist] = field(default_factory=list)

    def merge(self, other: Effekter) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))

    def as_dict(self) -> dict[str, list[str]]:
        return {
            name: [f"{f.art}:{f.gaeldende_forfald.isoformat()}" for f in getattr(self, name)]
            for name in self.__dataclass_fields__
            if getattr(self, name)
        }

    def noget_at_varsle(self, idag: dt.date) -> bool:
        """Whether a deadline created or extended here is already overdue, due or inside its warning
        window on ``idag``: only then does the change need the sweep at once (see :func:`sweep`)."""
        return any(
            f.gaeldende_forfald - dt.timedelta(days=max(f.varsler_dage or [0])) <= idag
            for f in self.oprettet + self.forlaenget
        )

    def definition_ids(self) -> list[str]:
        return sorted({str(f.definition_id) for f in self.oprettet})


def beregn(definition: FristDefinition, start: dt.date, start_haendelse: str) -> tuple[dt.date, str]:
    """The due date and the Danish explanation of how it was computed."""
    antal = -definition.laengde if definition.foer_start else definition.laengde
    raa = datoer.laeg_til(start, antal, definition.enhed)
    forfald = raa
    note = ""
    if definition.rul_til_hverdag:
        forfald = datoer.naeste_hverdag(raa)
        if forfald != raa:
            grund = datoer.helligdagsnavn(raa) or datoer.UGEDAGE[raa.weekday()]
            note = f" ({grund}), flyttet til næste hverdag {datoer.dansk_dato(forfald)}"
    tegn = "−" if definition.foer_start else "+"
    label = HAENDELSER.get(start_haendelse, start_haendelse.replace("_", " "))
    forklaring = (
        f"{label} {datoer.dansk_dato(start)} {tegn} {datoer.enhed_tekst(definition.laengde, definition.enhed)} "
        f"= {datoer.dansk_dato(raa)}{note}, jf. {definition.lovgrundlag}"
    )
    return forfald, forklaring


def _opret(
    forloeb: Forloeb, definition: FristDefinition, start: dt.date, haendelse: str, reference: str
) -> Frist | None:
    if Frist.objects.filter(
        forloeb=forloeb, art=definition.art, reference=reference, lukket_dato__isnull=True
    ).exists():
        return None  # already running (e.g. a repeated event): the first one stands
    forfald, forklaring = beregn(definition, start, haendelse)
    return Frist.objects.create(
        forloeb=forloeb, kommune_id=forloeb.kommune_id, team_id=forloeb.team_id, art=definition.art,
        reference=reference, definition=definition, start_haendelse=haendelse, start_dato=start,
        forfald=forfald, gaeldende_forfald=forfald, type=definition.type, ansvar=definition.ansvar,
        lovgrundlag=definition.lovgrundlag, forklaring=forklaring, varsler_dage=list(definition.varsler_dage),
    )  # fmt: skip


def registrer_haendelse(
    *, forloeb: Forloeb, kode: str, dato: dt.date, data: dict | None = None, reference: str = "", actor_navn: str = ""
) -> Effekter:
    """Record an event and apply it to the forløb's deadlines. Call inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("registrer_haendelse must run inside the transaction of the change")
    data = data or {}
    Haendelse.objects.create(
        forloeb=forloeb, kode=kode, dato=dato, data=audit.jsonable(data), actor_navn=actor_navn[:200]
    )
    effekter = Effekter()
    aabne = (
        Frist.objects.select_for_update().filter(forloeb=forloeb, lukket_dato__isnull=True).select_related("definition")
    )
    if reference:
        aabne = aabne.filter(Q(reference=reference) | Q(reference=""))
    for frist in aabne:
        d = frist.definition
        if kode in d.slut_haendelser:
            rettidig = dato <= frist.gaeldende_forfald
            frist.status = FristStatus.OVERHOLDT if rettidig else FristStatus.OVERSKREDET
            frist.lukket_dato, frist.lukket_af = dato, kode
            frist.save(update_fields=["status", "lukket_dato", "lukket_af"])
            (effekter.overholdt if rettidig else effekter.overskredet_lukket).append(frist)
            if d.gentages:
                nyt = _opret(forloeb, d, dato, kode, frist.reference)
                if nyt:
                    effekter.oprettet.append(nyt)
        elif kode in ALT_BORTFALDER or kode in d.bortfald_haendelser:
            frist.status = FristStatus.BORTFALDET
            frist.lukket_dato, frist.lukket_af = dato, kode
            frist.save(update_fields=["status", "lukket_dato", "lukket_af"])
            effekter.bortfaldet.append(frist)
        elif d.forlaeng_haendelse and kode == d.forlaeng_haendelse:
            ny = data.get("ny_forventet_dato")
            if isinstance(ny, str):
                ny = dt.date.fromisoformat(ny)
            if not isinstance(ny, dt.date):
                raise ValueError(f"event {kode} needs data['ny_forventet_dato'] (a date)")
            frist.status = FristStatus.FORLAENGET
            frist.forklaring += (
                f" Forlænget {datoer.dansk_dato(dato)} til {datoer.dansk_dato(ny)} "
                f"({HAENDELSER.get(kode, kode).lower()})."
            )
            frist.gaeldende_forfald = ny
            frist.save(update_fields=["status", "gaeldende_forfald", "forklaring"])
            effekter.forlaenget.append(frist)
    for definition in regelkatalog.definitioner_startet_af(kode, forloeb.kommune_id, dato):
        ny = _opret(forloeb, definition, dato, kode, reference)
        if ny:
            effekter.oprettet.append(ny)
    return effekter


def flyt_start(
    *, forloeb: Forloeb, kode: str, reference: str, ny_dato: dt.date, grund: str, actor_navn: str = ""
) -> list[Frist]:
    """Move the start of the open deadlines that event ``kode`` started for ``reference`` to
    ``ny_dato`` (a letter's receipt came later than assumed, or a physical letter replaced a failed
    Digital Post delivery: the klagefrist runs from the receipt). The due date is computed again by
    the same definition; an extended deadline keeps its extension. Inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("flyt_start must run inside the transaction of the change")
    flyttet = []
    for frist in (
        Frist.objects.select_for_update()
        .filter(forloeb=forloeb, reference=reference, start_haendelse=kode, lukket_dato__isnull=True)
        .select_related("definition")
    ):
        if frist.start_dato == ny_dato:
            continue
        forfald, forklaring = beregn(frist.definition, ny_dato, kode)
        if frist.gaeldende_forfald == frist.forfald:
            frist.gaeldende_forfald = forfald
        frist.start_dato, frist.forfald = ny_dato, forfald
        frist.forklaring = f"{forklaring} ({grund})"
        frist.save(update_fields=["start_dato", "forfald", "gaeldende_forfald", "forklaring"])
        flyttet.append(frist)
    if flyttet:
        Haendelse.objects.create(
            forloeb=forloeb,
            kode=kode,
            dato=ny_dato,
            data={"flyttet": True, "grund": grund},
            actor_navn=actor_navn[:200],
        )
    return flyttet


# ---------------------------------------------------------------------------------------------
# The sweep (Celery beat): set-based SQL, safe with any number of workers and restarts
# ---------------------------------------------------------------------------------------------
MARKER_OVERSKREDNE = """
WITH ramt AS (
    UPDATE cases_frist SET status = 'overskredet', overskredet_tidspunkt = now()
    WHERE lukket_dato IS NULL AND status IN ('aaben', 'forlaenget') AND gaeldende_forfald < %(idag)s {kun_forloeb}
    RETURNING id, forloeb_id, team_id, ansvar, art, gaeldende_forfald, forklaring, definition_id
), fuld AS MATERIALIZED (
    SELECT r.*, fl.sagsbehandler_id, d.navn, d.varsel_handling
    FROM ramt r
    JOIN cases_forloeb fl ON fl.id = r.forloeb_id
    JOIN cases_fristdefinition d ON d.id = r.definition_id
), til_ejer AS (
    INSERT INTO cases_notifikation (modtager_id, frist_id, forloeb_id, niveau, taerskel, titel, tekst, oprettet)
    SELECT r.sagsbehandler_id, r.id, r.forloeb_id,
           CASE WHEN r.ansvar = 'kommune' THEN 'overskredet' ELSE 'info' END,
           'overskredet',
           CASE WHEN r.ansvar = 'kommune' THEN 'Frist overskredet: ' ELSE 'Borgerens frist er udløbet: ' END || r.navn,
           r.forklaring || CASE WHEN r.varsel_handling <> '' THEN E'\n\n' || r.varsel_handling ELSE '' END, now()
    FROM fuld r
    WHERE r.sagsbehandler_id IS NOT NULL
    ON CONFLICT (frist_id, taerskel, modtager_id) DO NOTHING
    RETURNING id
), til_leder AS (
    -- One digest per team leader per sweep, listing the newly overdue deadlines of her teams: the
    -- municipality's breaches, and anything overdue on a case nobody owns (nobody else would hear of it).
    INSERT INTO cases_notifikation (modtager_id, niveau, taerskel, titel, tekst, fristliste, oprettet)
    SELECT u.id, 'eskalering', 'digest-' || %(koersel)s,
           CASE WHEN count(*) = 1 THEN '1 frist er overskredet i dit team'
                ELSE count(*) || ' frister er overskredet i dit team' END,
           'Fristerne herunder er overskredet siden sidste gennemløb. Følg op med sagsbehandlerne.',
           jsonb_agg(jsonb_build_object(
               'frist', r.id, 'forloeb', r.forloeb_id, 'navn', r.navn, 'forfald', r.gaeldende_forfald,
               'uden_ejer', r.sagsbehandler_id IS NULL
           ) ORDER BY r.gaeldende_forfald, r.forloeb_id, r.id), now()
    FROM fuld r
    JOIN cases_user_teams ut ON ut.team_id = r.team_id
    JOIN cases_user u ON u.id = ut.user_id AND u.rolle = 'teamleder' AND u.is_active
    WHERE r.ansvar = 'kommune' OR r.sagsbehandler_id IS NULL
    GROUP BY u.id
    RETURNING id, jsonb_array_length(fristliste) AS antal
)
SELECT (SELECT count(*) FROM ramt), (SELECT count(*) FROM til_ejer), (SELECT count(*) FROM til_leder),
       (SELECT coalesce(sum(antal), 0) FROM til_leder)
"""

SEND_VARSLER = """
WITH varsel AS (
    INSERT INTO cases_notifikation (modtager_id, frist_id, forloeb_id, niveau, taerskel, titel, tekst, oprettet)
    SELECT fl.sagsbehandler_id, f.id, f.forloeb_id, 'varsel', t.dage || 'd',
           CASE f.gaeldende_forfald - %(idag)s::date
               WHEN 0 THEN 'Frist i dag: ' WHEN 1 THEN 'Frist i morgen: '
               ELSE 'Frist om ' || (f.gaeldende_forfald - %(idag)s::date) || ' dage: ' END || d.navn,
           f.forklaring || CASE WHEN d.varsel_handling <> '' THEN E'\n\n' || d.varsel_handling ELSE '' END, now()
    FROM cases_frist f
    JOIN cases_forloeb fl ON fl.id = f.forloeb_id
    JOIN cases_fristdefinition d ON d.id = f.definition_id
    CROSS JOIN LATERAL (
        SELECT min(x) AS dage FROM unnest(f.varsler_dage) AS x WHERE f.gaeldende_forfald - x <= %(idag)s::date
    ) t
    WHERE f.lukket_dato IS NULL AND f.status IN ('aaben', 'forlaenget')
      AND f.gaeldende_forfald >= %(idag)s::date AND f.gaeldende_forfald <= %(idag)s::date + %(horisont)s
      AND t.dage IS NOT NULL AND fl.sagsbehandler_id IS NOT NULL {kun_forloeb}
    ON CONFLICT (frist_id, taerskel, modtager_id) DO NOTHING
    RETURNING id
)
SELECT count(*) FROM varsel
"""


#: The filter a per-forløb sweep adds to both statements (one code path: the same SQL, narrowed).
KUN_FORLOEB = "AND forloeb_id = %(forloeb)s"


@dataclass
class SweepResultat:
    overskredet: int
    notifikationer_overskredet: int
    eskaleringer: int  # digests: one per team leader with newly overdue deadlines in her teams
    varsler: int
    eskalerede_frister: int = 0  # the lines of those digests

    @property
    def notifikationer(self) -> int:
        return self.notifikationer_overskredet + self.eskaleringer + self.varsler


def _horisont() -> int:
    return max(
        [max(d) for d in FristDefinition.objects.exclude(varsler_dage=[]).values_list("varsler_dage", flat=True)] or [0]
    )


def sql(statement: str, *, kun_forloeb: bool = False) -> str:
    """One of the sweep's statements, for the municipality or narrowed to ``%(forloeb)s``."""
    return statement.replace("{kun_forloeb}", KUN_FORLOEB if kun_forloeb else "")


def sweep(idag: dt.date | None = None, *, forloeb_id=None) -> SweepResultat:
    """Mark overdue deadlines and create each warning/overdue notification exactly once, and one
    digest per team leader listing the deadlines this run found newly overdue in her teams.

    ``forloeb_id``: the same statements narrowed to one forløb, run by a transition inside its
    transaction so that a deadline already due or overdue is marked and notified at once.

    Two workers running this at once cannot duplicate anything: a deadline is marked overdue by one
    UPDATE only (the other sees it already marked, so it is in one digest only), and the unique
    constraint on (frist, taerskel, modtager) makes any second insert of a caseworker's notice a no-op.
    """
    idag = idag or datoer.idag()
    params = {"idag": idag, "horisont": _horisont(), "koersel": uuid.uuid4().hex[:12], "forloeb": forloeb_id}
    en = forloeb_id is not None
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql(MARKER_OVERSKREDNE, kun_forloeb=en), params)
        overskredet, til_ejer, til_leder, eskalerede = cur.fetchone()
        cur.execute(sql(SEND_VARSLER, kun_forloeb=en), params)
        (varsler,) = cur.fetchone()
        if overskredet:
            cur.execute("SELECT now()")  # the transaction's timestamp, written on every row marked above
            signals.frister_overskredet.send(sender=Frist, markeret=cur.fetchone()[0])
    return SweepResultat(overskredet, til_ejer, til_leder, varsler, int(eskalerede))
