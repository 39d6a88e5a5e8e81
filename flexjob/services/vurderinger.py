"""Use cases of the arbejdsevnevurdering in fleksjob (LAB § 122, stk. 2): the first assessment, a
change of the draft, and a reassessment (a new version whose decision replaces the previous one).
Each is a draft decision (``decisions``) generated from the structured content; the content rule
(``indholdsregel``) is registered with the decisions lint in ``flexjob.apps``."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Forloeb
from decisions import lint
from decisions.lint import Mangel
from decisions.models import DokumentStatus, DokumentType
from decisions.services import dokument_opdater, dokument_opret
from infra import audit, datoer

from .. import rules
from ..models import Ansaettelse, Arbejdsevnevurdering, Bevilling, Vaerktoej
from .faelles import adgang
from .vurdering_tekst import vurdering_tekst

VURDERING_FELTER = [
    "timer",
    "intensitet",
    "job_timer",
    "job_intensitet",
    "opgaver",
    "skaanehensyn",
    "afvigelse_begrundelse",
    "timer_begrundelse",
    "hjaelpemidler",
    "arbejdspladsindretning",
    "personlig_assistance",
    "mentor_timer_pr_uge",
    "mentor_varighed_uger",
    "progression",
    "milepaele",
    "opfoelgningsdatoer",
    "oplaering",
    "tidligere_bevillinger",
    "loen_bekraeftet",
    "forebyggelse",
    "inddragelse_moede_dato",
    "inddragelse_deltagere",
    "vaerktoej",
    "vaerktoej_beskrivelse",
]
#: Free-text content fields (stripped; must be text).
TEKSTFELTER = (
    "opgaver", "afvigelse_begrundelse", "timer_begrundelse", "hjaelpemidler", "arbejdspladsindretning",
    "personlig_assistance", "progression", "oplaering", "forebyggelse", "inddragelse_deltagere",
    "vaerktoej_beskrivelse",
)  # fmt: skip


def _normaliser(data: dict) -> tuple[dict, dict[str, str]]:
    """Validate the shape of the assessment input (content completeness is the lint's job)."""
    fejl: dict[str, str] = {}
    ud = dict(data)
    for felt in ("timer", "job_timer", "mentor_timer_pr_uge"):
        if ud.get(felt) in (None, ""):
            ud[felt] = None
            continue
        d = rules.som_decimal(ud[felt])
        if d is None or d < 0 or d >= 1000 or d != d.quantize(Decimal("0.1")):
            fejl[felt] = "Angiv timer som et tal med højst én decimal."
        else:
            ud[felt] = d
    for felt in ("intensitet", "job_intensitet"):
        if ud.get(felt) in (None, ""):
            ud[felt] = None
        elif fe := rules.intensitet_fejl(ud[felt]):
            fejl[felt] = fe
        else:
            ud[felt] = int(Decimal(str(ud[felt])))
    if ud.get("mentor_varighed_uger") not in (None, ""):
        try:
            ud["mentor_varighed_uger"] = int(ud["mentor_varighed_uger"])
            if not 0 < ud["mentor_varighed_uger"] < 1000:
                raise ValueError
        except (TypeError, ValueError):
            fejl["mentor_varighed_uger"] = "Angiv antal uger som et helt tal."
    else:
        ud["mentor_varighed_uger"] = None
    for felt in ("skaanehensyn", "milepaele", "opfoelgningsdatoer"):
        if ud.get(felt) is None:
            ud[felt] = []
        elif not isinstance(ud[felt], list):
            fejl[felt] = "Skal være en liste."
    for i, h in enumerate(ud.get("skaanehensyn") or []):
        if not isinstance(h, dict):
            fejl[f"skaanehensyn.{i}"] = "Hvert skånehensyn angives som {hensyn, imoedekommet}."
    for i, m in enumerate(ud.get("milepaele") or []):
        if not isinstance(m, dict):
            fejl[f"milepaele.{i}"] = "Hver milepæl angives som {dato, beskrivelse}."
            continue
        try:
            dt.date.fromisoformat(str(m.get("dato")))
        except ValueError:
            fejl[f"milepaele.{i}.dato"] = "Angiv en gyldig dato (ÅÅÅÅ-MM-DD)."
    for i, d in enumerate(ud.get("opfoelgningsdatoer") or []):
        try:
            dt.date.fromisoformat(str(d))
        except ValueError:
            fejl[f"opfoelgningsdatoer.{i}"] = "Angiv en gyldig dato (ÅÅÅÅ-MM-DD)."
    for felt in TEKSTFELTER:
        ud[felt] = (ud.get(felt) or "").strip() if isinstance(ud.get(felt) or "", str) else ud[felt]
        if not isinstance(ud[felt], str):
            fejl[felt] = "Skal være tekst."
    if not isinstance(ud.get("loen_bekraeftet", False), bool):
        fejl["loen_bekraeftet"] = "Skal være true eller false."
    ud["loen_bekraeftet"] = bool(ud.get("loen_bekraeftet"))
    if ud.get("vaerktoej") in (None, ""):
        ud["vaerktoej"] = ""
    elif ud["vaerktoej"] not in Vaerktoej.values:
        fejl["vaerktoej"] = f"Vælg en af: {', '.join(Vaerktoej.values)}."
    moede = ud.get("inddragelse_moede_dato")
    if moede in (None, ""):
        ud["inddragelse_moede_dato"] = None
    else:
        try:
            moede = moede if isinstance(moede, dt.date) else dt.date.fromisoformat(str(moede))
        except ValueError:
            fejl["inddragelse_moede_dato"] = "Angiv en gyldig dato (ÅÅÅÅ-MM-DD)."
        else:
            if moede > datoer.idag():
                fejl["inddragelse_moede_dato"] = "Mødet kan ikke ligge i fremtiden."
            ud["inddragelse_moede_dato"] = moede
    return ud, fejl


def _bevillinger(ansaettelse: Ansaettelse, ids) -> tuple[list[Bevilling] | None, dict[str, str]]:
    """The citizen's earlier grants the assessment cites (None: not given, keep what it has)."""
    if ids is None:
        return None, {}
    if not isinstance(ids, list | tuple | set):
        return None, {"tidligere_bevillinger": "Angiv bevillingerne som en liste af id'er."}
    valgte = []
    for i in ids:
        pk = getattr(i, "pk", i)
        b = Bevilling.objects.filter(pk=str(pk), borger_id=ansaettelse.forloeb.borger_id).first() if _uuid(pk) else None
        if b is None:
            return None, {"tidligere_bevillinger": "Bevillingen findes ikke hos borgeren."}
        valgte.append(b)
    return valgte, {}


def _uuid(v) -> bool:
    try:
        uuid.UUID(str(v))
    except ValueError:
        return False
    return True


def _vurdering_dokument_felter(
    v: Arbejdsevnevurdering, hovedhensyn: str, fakta, lovhenvisninger, bevillinger: list[Bevilling]
) -> dict:
    return {
        "titel": f"Arbejdsevnevurdering i fleksjob (version {v.version})" if v.version > 1 else None,
        "tekst": vurdering_tekst(v, bevillinger),
        "hovedhensyn": hovedhensyn,
        "fakta": fakta,
        "lovhenvisninger": lovhenvisninger,
    }


def _opret_vurdering(
    *, actor, ansaettelse: Ansaettelse, forrige: Arbejdsevnevurdering | None, faelles_anmodning: bool,
    hovedhensyn: str, fakta, lovhenvisninger, data: dict,
) -> Arbejdsevnevurdering:  # fmt: skip
    fl = ansaettelse.forloeb
    adgang(actor, fl)
    ukendte = set(data) - set(VURDERING_FELTER)
    if ukendte:
        raise ValidationError({f: "Ukendt felt." for f in sorted(ukendte)})
    data, fejl = _normaliser(data)
    bevillinger, bevilling_fejl = _bevillinger(ansaettelse, data.pop("tidligere_bevillinger", None))
    fejl |= bevilling_fejl
    if data.get("timer") is None:
        fejl.setdefault("timer", "Angiv arbejdsevnen i timer pr. uge.")
    if data.get("intensitet") is None:
        fejl.setdefault("intensitet", "Angiv arbejdsintensiteten (%).")
    if fejl:
        raise ValidationError(fejl)
    visitation = ansaettelse.visitation
    aftale = ansaettelse.aftale
    if not data.get("vaerktoej") and aftale is not None and "325" in (aftale.blanket or ""):
        data["vaerktoej"] = Vaerktoej.KL_AB325  # the agreement came through VITAS on AB 325
    if data.get("job_timer") is None:
        data["job_timer"] = ansaettelse.loennede_timer
    if data.get("job_intensitet") is None:
        data["job_intensitet"] = ansaettelse.intensitet or data["intensitet"]
    if not data.get("opgaver"):
        data["opgaver"] = ansaettelse.opgaver
    if not data.get("timer_begrundelse") and ansaettelse.timer_begrundelse:
        data["timer_begrundelse"] = ansaettelse.timer_begrundelse
    with transaction.atomic():
        Forloeb.objects.select_for_update().get(pk=fl.pk)
        if forrige is not None:
            forrige = Arbejdsevnevurdering.objects.select_for_update().select_related("dokument").get(pk=forrige.pk)
            if Arbejdsevnevurdering.objects.filter(forrige=forrige).exists():
                raise ValidationError({"forrige": "Der er allerede lavet en ny vurdering efter denne version."})
            if forrige.dokument.status == DokumentStatus.KLADDE:
                raise ValidationError(
                    {"forrige": "Den tidligere vurdering er ikke udstedt; ret udkastet i stedet for at revurdere."}
                )
        elif ansaettelse.vurderinger.exists():
            raise ValidationError(
                {"ansaettelse": "Ansættelsen har allerede en arbejdsevnevurdering; lav en revurdering."}
            )
        v = Arbejdsevnevurdering(
            ansaettelse=ansaettelse,
            version=(forrige.version + 1) if forrige else 1,
            forrige=forrige,
            faelles_anmodning=bool(faelles_anmodning),
            baseline_timer=visitation.baseline_timer,
            baseline_intensitet=visitation.baseline_intensitet,
            **{k: data[k] for k in VURDERING_FELTER if k in data},
        )
        felter = _vurdering_dokument_felter(v, hovedhensyn, fakta, lovhenvisninger, bevillinger or [])
        titel = felter.pop("titel")
        if titel:
            felter["titel"] = titel
        v.dokument = dokument_opret(
            actor=actor,
            forloeb=fl,
            type=DokumentType.ARBEJDSEVNEVURDERING_FLEKSJOB,
            egen_flow=True,
            erstatter=forrige.dokument if forrige else None,
            **felter,
        )
        v.save()
        if bevillinger:
            v.tidligere_bevillinger.set(bevillinger)
        audit.record(
            actor=actor, handling="fleksjob.arbejdsevnevurdering.opret", subject=v, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id,
            efter={"version": v.version, "dokument": v.dokument_id, "timer": v.timer, "intensitet": v.intensitet,
                   "job_timer": v.job_timer, "job_intensitet": v.job_intensitet, "forrige": v.forrige_id,
                   "faelles_anmodning": v.faelles_anmodning},
        )  # fmt: skip
    return v


STANDARD_LOVHENVISNINGER = ["lab_122", "fvl_22_24"]
STANDARD_HOVEDHENSYN = (
    "Vi har lagt vægt på den vurderede arbejdsevne fra visitationen, jobbets konkrete opgaver og skånehensyn "
    "samt dine og arbejdsgiverens oplysninger."
)


def arbejdsevnevurdering_opret(
    *, actor, ansaettelse: Ansaettelse, timer, intensitet, opgaver: str = "", skaanehensyn: list | None = None,
    faelles_anmodning: bool = False, hovedhensyn: str = STANDARD_HOVEDHENSYN, fakta: list[dict] | None = None,
    lovhenvisninger: list[str] | None = None, **felter,
) -> Arbejdsevnevurdering:  # fmt: skip
    """The first arbejdsevnevurdering of an employment, as a draft decision with its structured content.

    ``felter``: job_timer/job_intensitet (default: the employment's), afvigelse_begrundelse,
    timer_begrundelse, compensating measures, progression, milepaele, opfoelgningsdatoer."""
    return _opret_vurdering(
        actor=actor, ansaettelse=ansaettelse, forrige=None, faelles_anmodning=faelles_anmodning,
        hovedhensyn=hovedhensyn, fakta=fakta if fakta is not None else _standard_fakta(ansaettelse),
        lovhenvisninger=lovhenvisninger or STANDARD_LOVHENVISNINGER,
        data={"timer": timer, "intensitet": intensitet, "opgaver": opgaver, "skaanehensyn": skaanehensyn, **felter},
    )  # fmt: skip


def arbejdsevnevurdering_revurder(
    *, actor, forrige: Arbejdsevnevurdering, faelles_anmodning: bool, hovedhensyn: str = STANDARD_HOVEDHENSYN,
    fakta: list[dict] | None = None, lovhenvisninger: list[str] | None = None, **felter,
) -> Arbejdsevnevurdering:  # fmt: skip
    """A new version, when employer and employee jointly ask; its decision replaces the previous one.
    Fields not given are carried over from the previous version; job hours/intensity follow the employment."""
    if not faelles_anmodning:
        adgang(actor, forrige.ansaettelse.forloeb)
        raise ValidationError(
            {
                "faelles_anmodning": "En ny arbejdsevnevurdering kræver, at arbejdsgiver og medarbejder "
                "sammen beder om den."
            }
        )
    arv = {
        k: getattr(forrige, k)
        for k in VURDERING_FELTER
        if k not in ("job_timer", "job_intensitet", "tidligere_bevillinger")
    }
    arv["tidligere_bevillinger"] = list(forrige.tidligere_bevillinger.values_list("pk", flat=True))
    ansaettelse = forrige.ansaettelse
    return _opret_vurdering(
        actor=actor, ansaettelse=ansaettelse, forrige=forrige, faelles_anmodning=True, hovedhensyn=hovedhensyn,
        fakta=fakta if fakta is not None else _standard_fakta(ansaettelse),
        lovhenvisninger=lovhenvisninger or STANDARD_LOVHENVISNINGER, data=arv | felter,
    )  # fmt: skip


def _standard_fakta(ansaettelse: Ansaettelse) -> list[dict]:
    """The visitation decision is the documented source of the baseline."""
    return [
        {
            "tekst": "Den vurderede arbejdsevne ved visitationen til fleksjob.",
            "kilde_type": "dokument",
            "kilde_id": str(ansaettelse.visitation.afgoerelse_id),
        }
    ]


def arbejdsevnevurdering_opdater(*, actor, vurdering: Arbejdsevnevurdering, **felter) -> Arbejdsevnevurdering:
    """Change the content of a draft assessment; the decision text is generated again."""
    fl = vurdering.ansaettelse.forloeb
    adgang(actor, fl)
    ukendte = set(felter) - set(VURDERING_FELTER)
    if ukendte:
        raise ValidationError({f: "Ukendt felt." for f in sorted(ukendte)})
    nuvaerende = {k: getattr(vurdering, k) for k in VURDERING_FELTER if k != "tidligere_bevillinger"}
    data, fejl = _normaliser(nuvaerende | felter)
    bevillinger, bevilling_fejl = _bevillinger(vurdering.ansaettelse, data.pop("tidligere_bevillinger", None))
    fejl |= bevilling_fejl
    for felt in ("timer", "intensitet", "job_timer", "job_intensitet"):
        if data.get(felt) is None:
            fejl.setdefault(felt, "Feltet skal udfyldes.")
    if fejl:
        raise ValidationError(fejl)

    with transaction.atomic():
        v = Arbejdsevnevurdering.objects.select_for_update().select_related("dokument").get(pk=vurdering.pk)
        if v.dokument.status != DokumentStatus.KLADDE:
            raise ValidationError({"dokument": "Vurderingen er udstedt og kan ikke ændres; lav en revurdering."})
        foer = {k: _audit_vaerdi(v, k) for k in felter}
        for k in felter:
            if k != "tidligere_bevillinger":
                setattr(v, k, data[k])
        v.save()
        if bevillinger is not None:
            v.tidligere_bevillinger.set(bevillinger)
        dokument_opdater(actor=actor, dokument=v.dokument, tekst=vurdering_tekst(v))
        audit.record(
            actor=actor, handling="fleksjob.arbejdsevnevurdering.opdater", subject=v, borger_id=fl.borger_id,
            kommune_id=fl.kommune_id, foer=foer, efter={k: _audit_vaerdi(v, k) for k in felter},
        )  # fmt: skip
    v.dokument.refresh_from_db()
    return v


def _audit_vaerdi(v: Arbejdsevnevurdering, felt: str):
    if felt == "tidligere_bevillinger":
        return [str(pk) for pk in v.tidligere_bevillinger.values_list("pk", flat=True)]
    return getattr(v, felt)


def _meget_begraenset(v: Arbejdsevnevurdering) -> bool:
    return bool(v.ansaettelse.visitation.meget_begraenset)


def indholdsregel(dokument) -> list:
    """Content rule of decisions of type arbejdsevnevurdering_fleksjob (registered in apps.ready)."""

    v = Arbejdsevnevurdering.objects.select_related("ansaettelse__visitation").filter(dokument_id=dokument.pk).first()
    if v is None:
        # A document drafted without the structured assessment (decisions API / legacy): only the generic
        # decision rules apply. The fleksjob API always creates both together.
        return []
    m = [Mangel(k, b, f) for k, b, f in rules.vurdering_mangler(v, meget_begraenset=_meget_begraenset(v))]
    # The legal basis and klagevejledning are required in every written arbejdsevnevurdering: it
    # always gives reasons (no "fuldt medhold") and cites LAB § 122, stk. 2.
    if dokument.fuldt_medhold:
        m.append(
            Mangel(
                "arbejdsevne.begrundelse_kraeves",
                "En arbejdsevnevurdering skal altid begrundes; fjern markeringen »fuldt ud medhold«.",
                "fuldt_medhold",
            )
        )
    if "lab_122" not in lint.lovhenvisningskoder(dokument):
        m.append(
            Mangel(
                "arbejdsevne.lovgrundlag_mangler",
                "Henvis til lov om en aktiv beskæftigelsesindsats § 122, stk. 2 (retsgrundlaget for vurderingen).",
                "lovhenvisninger",
            )
        )
    return m


def advarsler(vurdering: Arbejdsevnevurdering) -> list[dict]:
    """Recommendations that do not block issue (a progression assessment under 10 effective hours)."""
    return [
        {"kode": k, "besked": b, "felt": f}
        for k, b, f in rules.vurdering_advarsler(vurdering, meget_begraenset=_meget_begraenset(vurdering))
    ]


def mangler(vurdering: Arbejdsevnevurdering, *, actor=None) -> list[dict]:
    """What blocks issue of this assessment's decision: the content rules, the unanswered prompts
    and the decision's own requirements (the decision lint, all at once)."""
    return [m.as_dict() for m in lint.lint(vurdering.dokument, actor=actor)]


def vurdering_kasseres(dokument, actor) -> None:
    """A discarded draft decision takes its draft assessment with it (hook of
    ``decisions.kassering.dokument_kasser``, in its transaction): the next assessment or reassessment
    of the employment is no longer blocked by it."""
    v = Arbejdsevnevurdering.objects.select_for_update().filter(dokument_id=dokument.pk).first()
    if v is None:
        return
    fl = v.ansaettelse.forloeb
    audit.record(
        actor=actor, handling="fleksjob.arbejdsevnevurdering.kasser", subject=v, borger_id=fl.borger_id,
        kommune_id=fl.kommune_id, foer={"version": v.version, "dokument": dokument.pk},
    )  # fmt: skip
    v.tidligere_bevillinger.clear()
    v.delete()
