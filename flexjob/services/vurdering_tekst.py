"""The arbejdsevnevurdering's decision text, generated from its structured content (the caseworker
edits the content, never the text): capacity and effective hours, the job and any deviation, employer
and wages, tasks, skånehensyn, compensatory measures with the earlier grants cited, progression,
measures against decline, follow-up, the meeting with citizen and employer, and the tool used."""

from __future__ import annotations

from decimal import Decimal

from .. import rules
from ..models import Arbejdsevnevurdering, Bevilling, Vaerktoej


def _tal(v) -> str:
    d = Decimal(str(v))
    s = f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def _bevilling_tekst(b: Bevilling) -> str:
    return f"{b.get_type_display()}: {b.beskrivelse.strip()} (bevilget {b.dato:%d.%m.%Y} af {b.bevilget_af})"


def vurdering_tekst(v: Arbejdsevnevurdering, bevillinger: list[Bevilling] | None = None) -> str:
    """The decision's Danish text, generated from the structured content (``bevillinger``: the
    earlier grants cited, when ``v`` is not saved yet)."""
    virksomhed = v.ansaettelse.virksomhed
    linjer = [
        f"Vi har vurderet din arbejdsevne i fleksjobbet hos {virksomhed.navn} "
        f"(lov om en aktiv beskæftigelsesindsats § 122, stk. 2).",
        "",
        f"Din arbejdsevne er {_tal(v.timer)} timer om ugen med en arbejdsintensitet på {v.intensitet} %. "
        f"Det svarer til {_tal(v.effektive_timer)} effektive timer om ugen "
        f"({_tal(v.timer)} timer × {v.intensitet} %).",
        f"Jobbet er på {_tal(v.job_timer)} timer om ugen med en arbejdsintensitet på {v.job_intensitet} %.",
        f"Ved visitationen blev arbejdsevnen vurderet til {_tal(v.baseline_timer)} timer om ugen "
        f"med en arbejdsintensitet på {v.baseline_intensitet} %.",
    ]
    if v.afviger:
        linjer.append(f"Jobbet afviger fra den vurderede arbejdsevne. Begrundelse: {v.afvigelse_begrundelse.strip()}")
    if rules.under_arbejdsevnen(v):
        linjer.append(
            f"Jobbet udnytter {_tal(v.job_effektive_timer)} effektive timer om ugen, færre end din arbejdsevne. "
            "Du kan derfor tage et supplerende fleksjob ved siden af dette job."
        )
    if v.timer_begrundelse.strip():
        linjer.append(f"Begrundelse for mere end 37 timer om ugen: {v.timer_begrundelse.strip()}")
    linjer += ["", "Arbejdsgiver og løn:", f"Du er ansat hos {virksomhed.navn} (CVR {virksomhed.cvr})."]
    if v.loen_bekraeftet:
        linjer[-1] += " Vi har sikret os, at jobbet er lønnet: arbejdsgiveren betaler løn for de timer, du arbejder."
    linjer += ["", "Jobbets konkrete arbejdsopgaver:", v.opgaver.strip() or "(ikke beskrevet)"]
    if v.skaanehensyn:
        linjer += ["", "Skånehensyn og hvordan jobbet imødekommer dem:"]
        for h in v.skaanehensyn:
            if isinstance(h, dict):
                linjer.append(f"- {str(h.get('hensyn', '')).strip()}: {str(h.get('imoedekommet', '')).strip()}")
    kompenserende = [
        ("Hjælpemidler", v.hjaelpemidler),
        ("Arbejdspladsindretning", v.arbejdspladsindretning),
        ("Personlig assistance", v.personlig_assistance),
        ("Oplæring", v.oplaering),
    ]
    if v.mentor_timer_pr_uge:
        mentor = f"{_tal(v.mentor_timer_pr_uge)} timer om ugen"
        if v.mentor_varighed_uger:
            mentor += f" i {v.mentor_varighed_uger} uger"
        kompenserende.append(("Mentor", mentor))
    kompenserende = [(k, t) for k, t in kompenserende if (t or "").strip()]
    if bevillinger is None:
        bevillinger = [] if v._state.adding else list(v.tidligere_bevillinger.all())
    if kompenserende or bevillinger:
        linjer += ["", "Kompenserende ordninger:"] + [f"- {k}: {t.strip()}" for k, t in kompenserende]
        linjer += [f"- Tidligere bevilling: {_bevilling_tekst(b)}" for b in bevillinger]
    linjer += ["", "Progression:", v.progression.strip() or "Der er ikke foretaget en progressionsvurdering."]
    if v.milepaele:
        linjer += ["", "Milepæle:"]
        for m in v.milepaele:
            if isinstance(m, dict):
                linjer.append(f"- {m.get('dato', '')}: {str(m.get('beskrivelse', '')).strip()}")
    if v.forebyggelse.strip():
        linjer += ["", "Tiltag, der skal forebygge, at din arbejdsevne nedsættes yderligere:", v.forebyggelse.strip()]
    if v.opfoelgningsdatoer:
        linjer += ["", "Opfølgning: " + ", ".join(str(d) for d in v.opfoelgningsdatoer)]
    if v.inddragelse_moede_dato:
        linjer += [
            "",
            f"Vurderingen er drøftet på et møde {v.inddragelse_moede_dato:%d.%m.%Y} med: "
            f"{v.inddragelse_deltagere.strip()}.",
        ]
    if v.vaerktoej:
        vaerktoej = v.vaerktoej_beskrivelse.strip() if v.vaerktoej == Vaerktoej.ANDET else v.get_vaerktoej_display()
        linjer += ["", f"Vurderingen er lavet med: {vaerktoej}."]
    if v.forrige_id:
        linjer += [
            "",
            f"Vurderingen er version {v.version} og erstatter den tidligere vurdering, fordi du og din "
            "arbejdsgiver sammen har bedt om en ny vurdering.",
        ]
    return "\n".join(linjer)
