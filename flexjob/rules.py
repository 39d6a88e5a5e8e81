"""Pure rules of fleksjob: employer identifiers and the content of the arbejdsevnevurdering.

No database access here except through the objects passed in; services and the decision lint call
these so the same rule gives the same answer everywhere (API, UI, agreement intake).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

MAKS_TIMER = Decimal("37")
PROGRESSION_ANBEFALET_UNDER = Decimal("10")
CVR_VAEGTE = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_gyldig(cvr: str) -> bool:
    """8 digits, first not 0, weighted sum (2,7,6,5,4,3,2,1) divisible by 11."""
    if not isinstance(cvr, str) or len(cvr) != 8 or not cvr.isascii() or not cvr.isdigit() or cvr[0] == "0":
        return False
    return sum(int(c) * v for c, v in zip(cvr, CVR_VAEGTE, strict=True)) % 11 == 0


def p_nummer_gyldig(p: str) -> bool:
    """A production unit's P-number: exactly 10 digits."""
    return isinstance(p, str) and len(p) == 10 and p.isascii() and p.isdigit()


def som_decimal(v) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        d = Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def timer_fejl(timer, begrundelse: str = "") -> str | None:
    """Danish error for hours per week: > 0, and at most 37 unless justified."""
    t = som_decimal(timer)
    if t is None:
        return "Angiv timer pr. uge som et tal."
    if t <= 0:
        return "Timer pr. uge skal være større end 0."
    if t > MAKS_TIMER and not (begrundelse or "").strip():
        return "Mere end 37 timer pr. uge kræver en begrundelse."
    if t >= Decimal("1000"):
        return "Timer pr. uge er for mange."
    if t != t.quantize(Decimal("0.1")):
        return "Timer pr. uge angives med højst én decimal."
    return None


def intensitet_fejl(intensitet) -> str | None:
    """Danish error for a work intensity in per cent: a whole number 1–100."""
    besked = "Arbejdsintensiteten skal være et helt tal mellem 1 og 100 (%)."
    if isinstance(intensitet, bool) or intensitet is None:
        return besked
    if isinstance(intensitet, str):
        if not intensitet.strip().isdigit():
            return besked
        intensitet = int(intensitet.strip())
    d = som_decimal(intensitet)
    if d is None or d != d.to_integral_value() or not 1 <= d <= 100:
        return besked
    return None


def effektive_timer(timer, intensitet) -> Decimal:
    """Hours × intensity, e.g. 12.5 h × 60 % = 7.50 effective hours."""
    return (Decimal(str(timer)) * Decimal(int(intensitet)) / Decimal(100)).quantize(Decimal("0.01"))


def afviger(vurdering) -> bool:
    """The job's hours or intensity differ from the assessed capacity, in either direction."""
    return Decimal(str(vurdering.job_timer)) != Decimal(str(vurdering.timer)) or int(vurdering.job_intensitet) != int(
        vurdering.intensitet
    )


def _tom(v) -> bool:
    return not (v or "").strip() if isinstance(v, str) else not v


def skaanehensyn_fejl(skaanehensyn) -> list[int]:
    """Indices of skånehensyn that lack a description of the hensyn or of how the job meets it."""
    if not isinstance(skaanehensyn, list):
        return [0]
    return [
        i
        for i, h in enumerate(skaanehensyn)
        if not isinstance(h, dict) or _tom(h.get("hensyn")) or _tom(h.get("imoedekommet"))
    ]


def vurdering_mangler(v, *, meget_begraenset: bool) -> list[tuple[str, str, str]]:
    """(kode, besked, felt) for each element a complete arbejdsevnevurdering lacks.

    ``v`` is an Arbejdsevnevurdering (or any object with its fields); the timer begrundelse above
    37 hours is the afvigelse/timer begrundelse in ``v.data`` of the document, passed as
    ``v.timer_begrundelse`` when present.
    """
    m: list[tuple[str, str, str]] = []
    begr = getattr(v, "timer_begrundelse", "") or ""
    for felt, timer in (("timer", v.timer), ("job_timer", v.job_timer)):
        fejl = timer_fejl(timer, begr)
        if fejl:
            m.append(("arbejdsevne.timer_ugyldige", fejl, felt))
    for felt, intensitet in (("intensitet", v.intensitet), ("job_intensitet", v.job_intensitet)):
        fejl = intensitet_fejl(intensitet)
        if fejl:
            m.append(("arbejdsevne.intensitet_ugyldig", fejl, felt))
    if _tom(v.opgaver):
        m.append(("arbejdsevne.opgaver_mangler", "Beskriv jobbets konkrete arbejdsopgaver.", "opgaver"))
    if not getattr(v, "loen_bekraeftet", False):
        m.append(
            (
                "arbejdsevne.loen_ikke_bekraeftet",
                "Bekræft at jobbet er lønnet af arbejdsgiveren (en reel arbejdsgiver og et lønnet job er de eneste "
                "betingelser for godkendelsen).",
                "loen_bekraeftet",
            )
        )
    if isinstance(v.skaanehensyn, list) and not v.skaanehensyn:
        m.append(
            (
                "arbejdsevne.skaanehensyn_mangler",
                "Angiv borgerens skånehensyn, og hvordan jobbet imødekommer hvert af dem (LAB § 121, stk. 1).",
                "skaanehensyn",
            )
        )
    if not getattr(v, "vaerktoej", ""):
        m.append(
            (
                "arbejdsevne.vaerktoej_mangler",
                "Angiv hvilket værktøj eller hvilken skabelon vurderingen er lavet med (fx KL's blanket AB 325).",
                "vaerktoej",
            )
        )
    elif v.vaerktoej == "andet" and _tom(getattr(v, "vaerktoej_beskrivelse", "")):
        m.append(("arbejdsevne.vaerktoej_mangler", "Beskriv det anvendte værktøj.", "vaerktoej_beskrivelse"))
    for i in skaanehensyn_fejl(v.skaanehensyn):
        m.append(
            (
                "arbejdsevne.skaanehensyn_uden_imoedekommelse",
                "Beskriv hvert skånehensyn og hvordan jobbet imødekommer det.",
                f"skaanehensyn.{i}",
            )
        )
    gyldige = not any(k in ("arbejdsevne.timer_ugyldige", "arbejdsevne.intensitet_ugyldig") for k, _, _ in m)
    if gyldige and afviger(v) and _tom(v.afvigelse_begrundelse):
        m.append(
            (
                "arbejdsevne.afvigelse_uden_begrundelse",
                "Jobbets timer eller arbejdsintensitet afviger fra den vurderede arbejdsevne; begrund afvigelsen.",
                "afvigelse_begrundelse",
            )
        )
    if meget_begraenset and _tom(v.progression):
        m.append(
            (
                "arbejdsevne.progression_mangler",
                "Borgeren har en aktuelt meget begrænset arbejdsevne: vurder mulighederne for progression "
                "(LAB § 116, stk. 2).",
                "progression",
            )
        )
    return m


def under_arbejdsevnen(v) -> bool:
    """The job uses less than the assessed capacity (effective hours): the citizen may take a
    supplementary fleksjob beside it."""
    try:
        return effektive_timer(v.job_timer, v.job_intensitet) < effektive_timer(v.timer, v.intensitet)
    except (InvalidOperation, TypeError, ValueError):
        return False


def under_10_effektive_timer(v) -> bool:
    try:
        return effektive_timer(v.timer, v.intensitet) < PROGRESSION_ANBEFALET_UNDER
    except (InvalidOperation, TypeError, ValueError):
        return False


def visitation_mangler(data: dict, *, alder: int, har_haft_midlertidigt: bool) -> list[tuple[str, str, str]]:
    """(kode, besked, felt) for what the visitation decision lacks to become the visitation record:
    the assessed capacity (hours and intensity) and, for a permanent fleksjob, age and an earlier
    temporary one. ``data`` is the decision's ``data``. (That the ledighedsydelse starts no earlier than
    the decision is checked when it is issued: only then is its date known.)"""
    m: list[tuple[str, str, str]] = []
    if (fejl := timer_fejl(data.get("baseline_timer"))) is not None:
        m.append(("visitation.timer_ugyldige", f"Visitationens vurderede arbejdsevne: {fejl}", "data.baseline_timer"))
    if (fejl := intensitet_fejl(data.get("baseline_intensitet"))) is not None:
        m.append(
            (
                "visitation.intensitet_ugyldig",
                f"Visitationens vurderede arbejdsevne: {fejl}",
                "data.baseline_intensitet",
            )
        )
    if data.get("permanent"):
        if alder < 40:
            m.append(
                (
                    "visitation.permanent_under_40",
                    f"Permanent fleksjob kræver, at borgeren er fyldt 40 år (borgeren er {alder} år).",
                    "data.permanent",
                )
            )
        elif not har_haft_midlertidigt:
            m.append(
                (
                    "visitation.permanent_uden_midlertidigt",
                    "Permanent fleksjob forudsætter, at borgeren har haft et midlertidigt fleksjob.",
                    "data.permanent",
                )
            )
    fra = data.get("ledighedsydelse_fra")
    if fra:
        try:
            dt.date.fromisoformat(str(fra))
        except ValueError:
            m.append(
                ("visitation.dato_ugyldig", "Angiv en gyldig dato for ledighedsydelsen.", "data.ledighedsydelse_fra")
            )
    return m


def vurdering_advarsler(v, *, meget_begraenset: bool) -> list[tuple[str, str, str]]:
    """Recommendations that do not block issue: a progression assessment under 10 effective hours."""
    if meget_begraenset or not _tom(v.progression):
        return []
    try:
        eff = effektive_timer(v.timer, v.intensitet)
    except (InvalidOperation, TypeError, ValueError):
        return []
    if eff < PROGRESSION_ANBEFALET_UNDER:
        return [
            (
                "arbejdsevne.progression_mangler",
                f"Jobbet er på {eff} effektive timer (under 10): en progressionsvurdering anbefales.",
                "progression",
            )
        ]
    return []
