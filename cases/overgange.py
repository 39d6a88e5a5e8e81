"""What each transition takes as input, and the facts and events it produces.

Input is validated here (400 with field errors: malformed, missing, dates the law forbids);
whether the case allows the transition is decided by the rules in ``cases.rules`` (409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from infra import datoer

from .models import AfslutningAarsag, Tilstand, Udfald

TITLER = {
    "start_forberedende_plan": "Start forberedende plan",
    "forelaeg_rehabiliteringsteam": "Forelæg for rehabiliteringsteamet",
    "registrer_indstilling": "Registrér indstilling",
    "udsaet": "Udsæt (tilbage til forberedende plan)",
    "genforelaeg": "Genforelæg for rehabiliteringsteamet",
    "overgaa_til_pensionsbehandling": "Overgang til behandling efter pensionsreglerne",
    "bevilg_ressourceforloeb": "Bevilg ressourceforløb",
    "visiter_fleksjob": "Visitér til fleksjob",
    "anden_indsats": "Afgør: anden indsats",
    "tilkend_foertidspension": "Tilkend førtidspension",
    "afslaa_foertidspension": "Afslå førtidspension",
    "spring_team_over_aabenbar": "Spring teamet over (åbenbart formålsløst)",
    "spring_team_over_utvivlsom": "Spring teamet over (utvivlsomt afslag)",
    "afslut": "Afslut forløbet",
}


@dataclass(frozen=True)
class Felt:
    navn: str
    type: str  # dato | tekst | valg | bool | liste
    label: str
    paakraevet: bool = False
    valg: tuple[str, ...] = ()
    fremtid_tilladt: bool = False  # dates are not in the future unless the field is a future appointment

    def as_dict(self) -> dict:
        out = {"navn": self.navn, "type": self.type, "label": self.label, "paakraevet": self.paakraevet}
        if self.valg:
            out["valg"] = list(self.valg)
        return out


DATO = Felt("dato", "dato", "Dato (virkningsdato, højst i dag)")
SUNDHED = Felt(
    "sundhedsfaglig_raadgivning", "valg", "Sundhedsfaglig rådgivning fra", valg=("klinisk_funktion", "andet")
)

FELTER: dict[str, list[Felt]] = {
    "start_forberedende_plan": [
        DATO,
        Felt("egen_ansoegning_foertidspension", "dato", "Borgerens egen ansøgning om førtidspension modtaget"),
        Felt("ansoegt_fleksjob", "dato", "Borgeren har søgt fleksjob (dato)"),
    ],
    "forelaeg_rehabiliteringsteam": [
        DATO,
        Felt("moede_dato", "dato", "Dato for mødet i rehabiliteringsteamet", paakraevet=True, fremtid_tilladt=True),
    ],
    "registrer_indstilling": [
        DATO,
        Felt("udfald", "valg", "Teamets indstilling", paakraevet=True, valg=tuple(Udfald.values)),
        Felt("resume", "tekst", "Resumé af indstillingen"),
    ],
    "udsaet": [
        DATO,
        Felt("aarsag", "tekst", "Hvorfor udsætter teamet sagen?", paakraevet=True),
        Felt("mangler", "tekst", "Hvad mangler, før sagen kan forelægges igen?", paakraevet=True),
    ],
    "genforelaeg": [
        DATO,
        Felt("begrundelse", "tekst", "Kommunens begrundelse for at være uenig", paakraevet=True),
        Felt("moede_dato", "dato", "Dato for nyt møde i teamet", paakraevet=True, fremtid_tilladt=True),
    ],
    "overgaa_til_pensionsbehandling": [DATO],
    "bevilg_ressourceforloeb": [DATO],
    "visiter_fleksjob": [DATO],
    "anden_indsats": [DATO, Felt("begrundelse", "tekst", "Hvilken indsats og hvorfor")],
    "tilkend_foertidspension": [
        DATO,
        SUNDHED,
        Felt("under_40_begrundelse", "tekst", "Særlig begrundelse (borgere under 40 år)"),
    ],
    "afslaa_foertidspension": [
        DATO,
        SUNDHED,
        Felt("arbejdsfunktioner", "liste", "Konkrete arbejdsfunktioner borgeren kan varetage"),
        Felt(
            "videre", "valg", "Forløbet fortsætter som",
            valg=(Tilstand.AKTIVITETSPARAT, Tilstand.RESSOURCEFORLOEB, Tilstand.FLEKSJOB),
        ),
    ],
    "spring_team_over_aabenbar": [
        DATO,
        Felt("begrundelse", "tekst", "Hvorfor er det åbenbart, at arbejdsevnen ikke kan forbedres?"),
        Felt("sundhedskoordinator_udtalelse_dato", "dato", "Sundhedskoordinatorens udtalelse (dato)"),
        Felt("terminalt_syg", "bool", "Borgeren er uafvendeligt syg"),
    ],
    "spring_team_over_utvivlsom": [
        DATO,
        Felt("begrundelse", "tekst", "Hvorfor er det utvivlsomt, at betingelserne ikke er opfyldt?", paakraevet=True),
    ],
    "afslut": [
        DATO,
        Felt("aarsag", "valg", "Årsag", paakraevet=True, valg=tuple(AfslutningAarsag.values)),
        Felt("bemaerkning", "tekst", "Bemærkning"),
    ],
}  # fmt: skip


def _parse_dato(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError


def valider(overgang: str, data: dict, *, idag: dt.date, seneste: dt.date | None) -> dict:
    """Validated, typed data for the transition, or ValidationError with every field's problem."""
    if not isinstance(data, dict):
        raise ValidationError({"data": "Data skal være et objekt."})
    felter = {f.navn: f for f in FELTER[overgang]}
    fejl: dict[str, str] = {}
    for navn in sorted(set(data) - set(felter)):
        fejl[navn] = "Ukendt felt for denne overgang."
    ren: dict = {}
    for navn, felt in felter.items():
        value = data.get(navn)
        if value in (None, "", []):
            if felt.paakraevet:
                fejl[navn] = "Feltet skal udfyldes."
            continue
        if felt.type == "dato":
            try:
                value = _parse_dato(value)
            except ValueError:
                fejl[navn] = "Angiv en dato som ÅÅÅÅ-MM-DD."
                continue
            if not felt.fremtid_tilladt and value > idag:
                fejl[navn] = "Datoen kan ikke ligge i fremtiden."
                continue
            if felt.fremtid_tilladt and value < idag:
                fejl[navn] = "Datoen kan ikke ligge i fortiden."
                continue
        elif felt.type == "tekst":
            if not isinstance(value, str):
                fejl[navn] = "Skal være tekst."
                continue
            value = value.strip()
            if len(value) > 10000:
                fejl[navn] = "Teksten er for lang (højst 10.000 tegn)."
                continue
            if not value and felt.paakraevet:
                fejl[navn] = "Feltet skal udfyldes."
                continue
        elif felt.type == "valg":
            if value not in felt.valg:
                fejl[navn] = f"Vælg en af: {', '.join(felt.valg)}."
                continue
        elif felt.type == "bool":
            if not isinstance(value, bool):
                fejl[navn] = "Skal være true eller false."
                continue
        elif felt.type == "liste":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fejl[navn] = "Skal være en liste af tekster."
                continue
            value = [v.strip() for v in value if v.strip()]
        ren[navn] = value
    dato = ren.get("dato", idag)
    if "dato" not in fejl and seneste is not None and dato < seneste:
        fejl["dato"] = f"Datoen kan ikke ligge før forløbets seneste hændelse ({datoer.dansk_dato(seneste)})."
    if fejl:
        raise ValidationError(fejl)
    ren["dato"] = dato
    return ren


def haendelser(overgang: str, forloeb, data: dict) -> list[tuple[str, dt.date, dict]]:
    """The events a transition emits, in order (they drive the deadline engine)."""
    d = data["dato"]
    match overgang:
        case "start_forberedende_plan":
            return [("forberedende_plan_start", d, {})]
        case "forelaeg_rehabiliteringsteam":
            return [("forelagt_rehabiliteringsteam", d, {"moede_dato": data["moede_dato"].isoformat()})]
        case "registrer_indstilling":
            return [("indstilling", d, {"udfald": data["udfald"]}), (f"indstilling_{data['udfald']}", d, {})]
        case "udsaet":
            return [("udsat", d, {})]
        case "genforelaeg":
            return [("genforelagt", d, {})]
        case "overgaa_til_pensionsbehandling" | "spring_team_over_aabenbar":
            return [("overgang", d, {})]
        case "spring_team_over_utvivlsom":
            return [("ansoegning_uden_team", forloeb.egen_ansoegning_foertidspension, {}), ("overgang", d, {})]
        case "bevilg_ressourceforloeb":
            return [("afgoerelse", d, {}), ("afgoerelse_ressourceforloeb", d, {}), ("ressourceforloeb_start", d, {})]
        case "visiter_fleksjob":
            return [("afgoerelse", d, {}), ("afgoerelse_fleksjob", d, {})]
        case "anden_indsats":
            return [("afgoerelse", d, {}), ("afgoerelse_anden_indsats", d, {})]
        case "tilkend_foertidspension" | "afslaa_foertidspension":
            events = [("afgoerelse", d, {}), ("afgoerelse_foertidspension", d, {})]
            if data.get("videre") == Tilstand.RESSOURCEFORLOEB:
                events.append(("ressourceforloeb_start", d, {}))
            return events
        case "afslut":
            return [("afsluttet", d, {"aarsag": data["aarsag"]})]
    raise ValueError(overgang)


def anvend_fakta(overgang: str, forloeb, data: dict) -> None:
    """Record on the forløb the facts the rules and the UI read later."""
    d = data["dato"]
    match overgang:
        case "start_forberedende_plan":
            forloeb.forberedende_plan_start = d
            forloeb.rehab_moede_dato = forloeb.indstilling_dato = forloeb.genforelagt_dato = None
            forloeb.indstilling_udfald = ""
            forloeb.overgang_dato = forloeb.afgoerelse_dato = None
            if data.get("egen_ansoegning_foertidspension"):
                forloeb.egen_ansoegning_foertidspension = data["egen_ansoegning_foertidspension"]
            if data.get("ansoegt_fleksjob"):
                forloeb.ansoegt_fleksjob = data["ansoegt_fleksjob"]
        case "forelaeg_rehabiliteringsteam":
            forloeb.rehab_moede_dato = data["moede_dato"]
        case "registrer_indstilling":
            forloeb.indstilling_dato, forloeb.indstilling_udfald = d, data["udfald"]
        case "udsaet":
            forloeb.rehab_moede_dato = None
        case "genforelaeg":
            forloeb.genforelagt_dato = d
            forloeb.rehab_moede_dato = data["moede_dato"]
        case "overgaa_til_pensionsbehandling" | "spring_team_over_aabenbar" | "spring_team_over_utvivlsom":
            forloeb.overgang_dato = d
        case (
            "bevilg_ressourceforloeb"
            | "visiter_fleksjob"
            | "anden_indsats"
            | "tilkend_foertidspension"
            | ("afslaa_foertidspension")
        ):
            forloeb.afgoerelse_dato = d
        case "afslut":
            forloeb.afslutning_aarsag, forloeb.afsluttet_dato = data["aarsag"], d
