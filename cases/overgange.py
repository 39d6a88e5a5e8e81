"""Every forløb transition, declared once: one ``OvergangSpec`` per transition of the model.

A spec holds what the rest of the code needs to know about a transition besides the model's
state change: its Danish title, the input it takes and how that input is validated (400 with field
errors), the roles that may take it, the events it emits (they drive the deadline engine), the
facts it records on the forløb, how the target state is chosen when the input chooses it, the
decision type whose issuing performs it ("deciding is issuing") and two hints for the caseworker
UI (the page holding the transition's own editor, and whether it is drastic and needs a
confirmation). Whether the case allows the transition is decided by the guard rules in
``cases.rules`` (409).

The model method (``cases.models.forloeb``) still declares source and target for django-fsm;
:func:`kontroller` is run at start-up (``CasesConfig.ready``) and refuses to start when the two
disagree. Adding a transition = the model method + one entry in ``OVERGANGE``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django_fsm import RETURN_VALUE

from infra import datoer

from .betingelser import GUARDS
from .models import AABNE_TILSTANDE, AfslutningAarsag, Forloeb, Rolle, Tilstand, Udfald
from .overgangsspec import (
    SAGSBEHANDLING,
    VIRKNINGSDATO,
    Felt,
    Input,
    OvergangSpec,
    Udsend,
    fakta,
)

T = Tilstand


DATO = Felt("dato", "dato", "Dato (virkningsdato, højst i dag)")
#: The first transition of a forløb may be dated back at most ``tilbagedatering_max_dage`` days (a
#: rule-catalogue parameter) without a reason: the start date drives deadlines such as the servicemål.
TILBAGEDATERING = Felt(
    "tilbagedatering_begrundelse",
    "tekst",
    "Begrundelse for tilbagedatering (når forløbets første dato ligger længere tilbage end tilladt)",
)
SUNDHED = Felt(
    "sundhedsfaglig_raadgivning", "valg", "Sundhedsfaglig rådgivning fra", valg=("klinisk_funktion", "andet")
)
AFGOERELSE = Udsend("afgoerelse")
AFGOERELSE_FAKTA = fakta(afgoerelse_dato=VIRKNINGSDATO)
OVERGANG_FAKTA = fakta(overgang_dato=VIRKNINGSDATO)
REHAB_INDSTILLING = "rehab:indstilling"
REHAB_BOOKING = "rehab:booking"
REHAB_FORBEREDENDE_DEL = "rehab:forberedende_del"
AFGOERELSER = "decisions:dokumenter"

OVERGANGE: tuple[OvergangSpec, ...] = (
    OvergangSpec(
        "start_forberedende_plan",
        "Start forberedende plan",
        fra=(T.AKTIVITETSPARAT, T.RESSOURCEFORLOEB, T.FLEKSJOB),
        til=(T.FORBEREDENDE_PLAN,),
        felter=(
            DATO,
            TILBAGEDATERING,
            Felt("egen_ansoegning_foertidspension", "dato", "Borgerens egen ansøgning om førtidspension modtaget"),
            Felt("ansoegt_fleksjob", "dato", "Borgeren har søgt fleksjob (dato)"),
        ),
        haendelser=(Udsend("forberedende_plan_start"),),
        fakta=fakta(
            forberedende_plan_start=VIRKNINGSDATO,
            # A new round: what the previous round recorded no longer applies.
            rehab_moede_dato=None,
            indstilling_dato=None,
            genforelagt_dato=None,
            indstilling_udfald="",
            overgang_dato=None,
            afgoerelse_dato=None,
            egen_ansoegning_foertidspension=Input("egen_ansoegning_foertidspension", valgfri=True),
            ansoegt_fleksjob=Input("ansoegt_fleksjob", valgfri=True),
        ),
        naeste_side=REHAB_FORBEREDENDE_DEL,
    ),
    OvergangSpec(
        "forelaeg_rehabiliteringsteam",
        "Forelæg for rehabiliteringsteamet",
        fra=(T.FORBEREDENDE_PLAN,),
        til=(T.REHABILITERINGSTEAM,),
        felter=(
            DATO,
            Felt("moede_dato", "dato", "Dato for mødet i rehabiliteringsteamet", paakraevet=True, fremtid_tilladt=True),
        ),
        haendelser=(Udsend("forelagt_rehabiliteringsteam", data=("moede_dato",)),),
        fakta=fakta(rehab_moede_dato=Input("moede_dato")),
        editor=REHAB_BOOKING,
    ),
    OvergangSpec(
        "registrer_indstilling",
        "Registrér indstilling",
        fra=(T.REHABILITERINGSTEAM,),
        til=(T.INDSTILLING,),
        felter=(
            DATO,
            Felt("udfald", "valg", "Teamets indstilling", paakraevet=True, valg=tuple(Udfald.values)),
            Felt("resume", "tekst", "Resumé af indstillingen"),
        ),
        haendelser=(Udsend("indstilling", data=("udfald",)), Udsend("indstilling_{udfald}")),
        fakta=fakta(indstilling_dato=VIRKNINGSDATO, indstilling_udfald=Input("udfald")),
        roller=SAGSBEHANDLING | {Rolle.MOEDELEDER},
        editor=REHAB_INDSTILLING,
    ),
    OvergangSpec(
        "udsaet",
        "Udsæt (tilbage til forberedende plan)",
        fra=(T.REHABILITERINGSTEAM,),
        til=(T.FORBEREDENDE_PLAN,),
        felter=(
            DATO,
            Felt("aarsag", "tekst", "Hvorfor udsætter teamet sagen?", paakraevet=True),
            Felt("mangler", "tekst", "Hvad mangler, før sagen kan forelægges igen?", paakraevet=True),
        ),
        haendelser=(Udsend("udsat"),),
        fakta=fakta(rehab_moede_dato=None),
        roller=SAGSBEHANDLING | {Rolle.MOEDELEDER},
        editor=REHAB_INDSTILLING,
    ),
    OvergangSpec(
        "genforelaeg",
        "Genforelæg for rehabiliteringsteamet",
        fra=(T.INDSTILLING,),
        til=(T.REHABILITERINGSTEAM,),
        felter=(
            DATO,
            Felt("begrundelse", "tekst", "Kommunens begrundelse for at være uenig", paakraevet=True),
            Felt("moede_dato", "dato", "Dato for nyt møde i teamet", paakraevet=True, fremtid_tilladt=True),
        ),
        haendelser=(Udsend("genforelagt"),),
        fakta=fakta(genforelagt_dato=VIRKNINGSDATO, rehab_moede_dato=Input("moede_dato")),
        editor=REHAB_BOOKING,
        drastisk=True,
    ),
    OvergangSpec(
        "overgaa_til_pensionsbehandling",
        "Overgang til behandling efter pensionsreglerne",
        fra=(T.INDSTILLING,),
        til=(T.FOERTIDSPENSION_BEHANDLING,),
        felter=(DATO,),
        haendelser=(Udsend("overgang"),),
        fakta=OVERGANG_FAKTA,
        afgoerelse="overgang_pension",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "bevilg_ressourceforloeb",
        "Bevilg ressourceforløb",
        fra=(T.INDSTILLING,),
        til=(T.RESSOURCEFORLOEB,),
        felter=(DATO,),
        haendelser=(AFGOERELSE, Udsend("afgoerelse_ressourceforloeb"), Udsend("ressourceforloeb_start")),
        fakta=AFGOERELSE_FAKTA,
        afgoerelse="ressourceforloeb_bevilling",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "visiter_fleksjob",
        "Visitér til fleksjob",
        fra=(T.INDSTILLING,),
        til=(T.FLEKSJOB,),
        felter=(DATO,),
        haendelser=(AFGOERELSE, Udsend("afgoerelse_fleksjob")),
        fakta=AFGOERELSE_FAKTA,
        afgoerelse="fleksjob_visitation",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "anden_indsats",
        "Afgør: anden indsats",
        fra=(T.INDSTILLING,),
        til=(T.AKTIVITETSPARAT,),
        felter=(DATO, Felt("begrundelse", "tekst", "Hvilken indsats og hvorfor")),
        haendelser=(AFGOERELSE, Udsend("afgoerelse_anden_indsats")),
        fakta=AFGOERELSE_FAKTA,
        afgoerelse="anden_indsats",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "tilkend_foertidspension",
        "Tilkend førtidspension",
        fra=(T.FOERTIDSPENSION_BEHANDLING,),
        til=(T.FOERTIDSPENSION,),
        felter=(DATO, SUNDHED, Felt("under_40_begrundelse", "tekst", "Særlig begrundelse (borgere under 40 år)")),
        haendelser=(AFGOERELSE, Udsend("afgoerelse_foertidspension")),
        fakta=AFGOERELSE_FAKTA,
        afgoerelse="foertidspension_tilkendelse",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "afslaa_foertidspension",
        "Afslå førtidspension",
        fra=(T.FOERTIDSPENSION_BEHANDLING,),
        til=(T.AKTIVITETSPARAT, T.RESSOURCEFORLOEB, T.FLEKSJOB),
        felter=(
            DATO,
            SUNDHED,
            Felt("arbejdsfunktioner", "liste", "Konkrete arbejdsfunktioner borgeren kan varetage"),
            Felt(
                "videre",
                "valg",
                "Forløbet fortsætter som",
                valg=(T.AKTIVITETSPARAT, T.RESSOURCEFORLOEB, T.FLEKSJOB),
            ),
        ),
        haendelser=(
            AFGOERELSE,
            Udsend("afgoerelse_foertidspension"),
            Udsend("ressourceforloeb_start", naar=("videre", T.RESSOURCEFORLOEB)),
        ),
        fakta=AFGOERELSE_FAKTA,
        maal_felt="videre",
        afgoerelse="foertidspension_afslag",
        editor=AFGOERELSER,
    ),
    OvergangSpec(
        "spring_team_over_aabenbar",
        "Spring teamet over (åbenbart formålsløst)",
        fra=(T.FORBEREDENDE_PLAN,),
        til=(T.FOERTIDSPENSION_BEHANDLING,),
        felter=(
            DATO,
            Felt("begrundelse", "tekst", "Hvorfor er det åbenbart, at arbejdsevnen ikke kan forbedres?"),
            Felt("sundhedskoordinator_udtalelse_dato", "dato", "Sundhedskoordinatorens udtalelse (dato)"),
            Felt("terminalt_syg", "bool", "Borgeren er uafvendeligt syg"),
        ),
        haendelser=(Udsend("overgang"),),
        fakta=OVERGANG_FAKTA,
        drastisk=True,
    ),
    OvergangSpec(
        "spring_team_over_utvivlsom",
        "Spring teamet over (utvivlsomt afslag)",
        fra=(T.AKTIVITETSPARAT, T.FORBEREDENDE_PLAN),
        til=(T.FOERTIDSPENSION_BEHANDLING,),
        felter=(
            DATO,
            Felt(
                "begrundelse",
                "tekst",
                "Hvorfor er det utvivlsomt, at betingelserne ikke er opfyldt?",
                paakraevet=True,
            ),
            TILBAGEDATERING,
        ),
        haendelser=(
            Udsend("ansoegning_uden_team", dato_fra_fakta="egen_ansoegning_foertidspension"),
            Udsend("overgang"),
        ),
        fakta=OVERGANG_FAKTA,
        drastisk=True,
    ),
    OvergangSpec(
        "afslut",
        "Afslut forløbet",
        fra=tuple(AABNE_TILSTANDE),
        til=(T.AFSLUTTET,),
        felter=(
            DATO,
            Felt("aarsag", "valg", "Årsag", paakraevet=True, valg=tuple(AfslutningAarsag.values)),
            Felt("bemaerkning", "tekst", "Bemærkning"),
            TILBAGEDATERING,
        ),
        haendelser=(Udsend("afsluttet", data=("aarsag",)),),
        fakta=fakta(afslutning_aarsag=Input("aarsag"), afsluttet_dato=VIRKNINGSDATO),
        drastisk=True,
    ),
)

#: The specs by name (the order of ``OVERGANGE``, which is the model's).
SPECS: dict[str, OvergangSpec] = {s.navn: s for s in OVERGANGE}
NAVNE: tuple[str, ...] = tuple(SPECS)


def spec(navn: str) -> OvergangSpec:
    """The spec of a transition; KeyError for a name that is none."""
    return SPECS[navn]


def haendelseskoder() -> set[str]:
    """Every event code a transition can emit (the timeline shows the transition instead)."""
    return {k for s in OVERGANGE for k in s.haendelseskoder()}


def overgang_for_afgoerelse() -> dict[str, str]:
    """Decision type → the transition issuing a decision of that type performs."""
    return {s.afgoerelse: s.navn for s in OVERGANGE if s.afgoerelse}


# ---------------------------------------------------------------------------------------------
# The start-up check: spec and state machine agree
# ---------------------------------------------------------------------------------------------
def _fsm(model) -> dict[str, tuple[set[str], set[str]]]:
    """Transition name → (sources, targets) as django-fsm knows them."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for t in model._meta.get_field("tilstand").get_all_transitions(model):
        kilder, maal = out.setdefault(t.name, (set(), set()))
        kilder.update(AABNE_TILSTANDE if t.source == "*" else [str(t.source)])
        if isinstance(t.target, RETURN_VALUE):
            maal.update(str(s) for s in t.target.allowed_states or ())
        else:
            maal.add(t.target)
    return out


def spec_fejl(specs: Iterable[OvergangSpec] | None = None, model=Forloeb) -> list[str]:
    """Every disagreement between the specs and the model's state machine (empty: all is well)."""
    specs = list(OVERGANGE if specs is None else specs)
    problemer: list[str] = []
    fsm = _fsm(model)
    navne = [s.navn for s in specs]
    for navn in sorted({n for n in navne if navne.count(n) > 1}):
        problemer.append(f"Transition '{navn}' has {navne.count(navn)} specs; it must have exactly one.")
    for navn in sorted(set(fsm) - set(navne)):
        problemer.append(f"Transition '{navn}' of {model.__name__} has no OvergangSpec in cases.overgange.")
    felter = {f.name for f in model._meta.get_fields()}
    for s in specs:
        if s.navn not in fsm:
            problemer.append(f"OvergangSpec '{s.navn}' has no transition method on {model.__name__}.")
            continue
        kilder, maal = fsm[s.navn]
        if set(s.fra) != kilder:
            problemer.append(f"'{s.navn}': spec fra={sorted(s.fra)} but the model's source is {sorted(kilder)}.")
        if set(s.til) != maal:
            problemer.append(f"'{s.navn}': spec til={sorted(s.til)} but the model's target is {sorted(maal)}.")
        input_felter = {f.navn: f for f in s.felter}
        if len(s.til) > 1 and (s.maal_felt not in input_felter or set(input_felter[s.maal_felt].valg) != set(s.til)):
            problemer.append(f"'{s.navn}': several targets need maal_felt, an input whose choices are the targets.")
        if s.navn not in GUARDS:
            problemer.append(f"'{s.navn}': the model method does not take its guard rules (conditions=_guards(...)).")
        for navn, kilde in s.fakta:
            if navn not in felter:
                problemer.append(f"'{s.navn}': records fact '{navn}', which is no field of {model.__name__}.")
            if isinstance(kilde, Input) and kilde.navn not in input_felter:
                problemer.append(f"'{s.navn}': fact '{navn}' reads input '{kilde.navn}', which it does not take.")
        for h in s.haendelser:
            for navn in (*h.data, *((h.naar[0],) if h.naar else ())):
                if navn not in input_felter:
                    problemer.append(f"'{s.navn}': event '{h.kode}' reads input '{navn}', which it does not take.")
            if h.dato_fra_fakta and h.dato_fra_fakta not in felter:
                problemer.append(f"'{s.navn}': event '{h.kode}' is dated by '{h.dato_fra_fakta}', no field.")
    for navn in sorted(set(GUARDS) - set(fsm)):
        problemer.append(f"Guard rules are registered for '{navn}', which is no transition.")
    return problemer


def kontroller(specs: Iterable[OvergangSpec] | None = None, model=Forloeb) -> None:
    """Refuse to start when the specs and the state machine disagree (run in ``CasesConfig.ready``)."""
    problemer = spec_fejl(specs, model)
    if problemer:
        raise ImproperlyConfigured("cases.overgange disagrees with the forløb's state machine: " + " ".join(problemer))


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------
def _parse_dato(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError


def valider(
    overgang: str, data: dict, *, idag: dt.date, seneste: dt.date | None, tilbagedatering_max_dage: int | None = None
) -> dict:
    """Validated, typed data for the transition, or ValidationError with every field's problem.

    ``seneste``: the date of the forløb's latest transition (a date before it is refused); None for the
    first transition, whose date may lie at most ``tilbagedatering_max_dage`` days back unless the
    input gives a reason (``tilbagedatering_begrundelse``)."""
    if not isinstance(data, dict):
        raise ValidationError({"data": "Data skal være et objekt."})
    felter = {f.navn: f for f in SPECS[overgang].felter}
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
    if (
        "dato" not in fejl
        and seneste is None
        and tilbagedatering_max_dage is not None
        and (idag - dato).days > tilbagedatering_max_dage
        and not ren.get("tilbagedatering_begrundelse")
    ):
        besked = (
            f"Forløbets første dato ({datoer.dansk_dato(dato)}) ligger mere end {tilbagedatering_max_dage} dage "
            "tilbage. Begrund tilbagedateringen, eller brug en senere dato."
        )
        if TILBAGEDATERING in felter.values():
            fejl["tilbagedatering_begrundelse"] = besked
        else:
            fejl["dato"] = besked
    if fejl:
        raise ValidationError(fejl)
    ren["dato"] = dato
    return ren
