"""The citizen's forløb: a guarded state machine (django-fsm-2, protected field).

The transition methods below only change the state; every precondition is a named rule in
``cases.rules`` (attached as ``conditions``) and every transition is run by
``cases.services.forloeb_overgang``, which validates, records history and audit, drives the
deadline engine and schedules side effects. Calling a transition method directly outside that
service is refused by the rules (no context) and by the protected field.
"""

import uuid
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from cases.betingelser import fsm_conditions, regler_for


class Tilstand(models.TextChoices):
    AKTIVITETSPARAT = "aktivitetsparat", "Aktivitetsparat"
    FORBEREDENDE_PLAN = "forberedende_plan", "Forberedende plan"
    REHABILITERINGSTEAM = "rehabiliteringsteam", "Rehabiliteringsteam"
    INDSTILLING = "indstilling", "Indstilling"
    FOERTIDSPENSION_BEHANDLING = "foertidspension_behandling", "Behandling efter pensionsreglerne"
    RESSOURCEFORLOEB = "ressourceforloeb", "Ressourceforløb"
    FLEKSJOB = "fleksjob", "Fleksjob"
    FOERTIDSPENSION = "foertidspension", "Førtidspension"
    AFSLUTTET = "afsluttet", "Afsluttet"


AABNE_TILSTANDE: list[str] = [t for t in Tilstand.values if t != Tilstand.AFSLUTTET]


class Udfald(models.TextChoices):
    RESSOURCEFORLOEB = "ressourceforloeb", "Ressourceforløb"
    FLEKSJOB = "fleksjob", "Fleksjob"
    FOERTIDSPENSION = "foertidspension", "Førtidspension"
    ANDEN_INDSATS = "anden_indsats", "Anden indsats"
    JOBAFKLARINGSFORLOEB = "jobafklaringsforloeb", "Jobafklaringsforløb"


class AfslutningAarsag(models.TextChoices):
    FLYTTET = "flyttet", "Fraflyttet kommunen"
    ORDINAERT_ARBEJDE = "ordinaert_arbejde", "Ordinært arbejde"
    UDDANNELSE = "uddannelse", "Uddannelse"
    DOED = "doed", "Død"
    FOLKEPENSION = "folkepension", "Folkepension"
    ANDET = "andet", "Andet"


T = Tilstand


def _guards(name):
    return fsm_conditions(regler_for(name))


class Forloeb(FSMModelMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    borger = models.ForeignKey("cases.Borger", on_delete=models.PROTECT, related_name="forloeb")
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("cases.Team", on_delete=models.PROTECT, related_name="forloeb")
    sagsbehandler = models.ForeignKey(
        "cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="forloeb"
    )
    #: Set by ``cases.services.forloeb_overgang`` while the transition method runs (the guard rules read it).
    _overgang_kontekst: Any

    tilstand = FSMField(default=Tilstand.AKTIVITETSPARAT, choices=Tilstand.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    opdateret = models.DateTimeField(auto_now=True)

    # Facts recorded by transitions and events (the history holds the full story).
    forberedende_plan_start = models.DateField(null=True, blank=True)
    rehab_moede_dato = models.DateField(null=True, blank=True)
    indstilling_dato = models.DateField(null=True, blank=True)
    indstilling_udfald = models.CharField(max_length=30, choices=Udfald.choices, blank=True)
    genforelagt_dato = models.DateField(null=True, blank=True)
    overgang_dato = models.DateField(null=True, blank=True)
    afgoerelse_dato = models.DateField(null=True, blank=True)
    egen_ansoegning_foertidspension = models.DateField(
        null=True, blank=True, help_text="Borgerens egen ansøgning om førtidspension (pensionsloven § 17, stk. 2)"
    )
    ansoegt_fleksjob = models.DateField(null=True, blank=True, help_text="Borgeren har søgt fleksjob")
    afslutning_aarsag = models.CharField(max_length=30, choices=AfslutningAarsag.choices, blank=True)
    afsluttet_dato = models.DateField(null=True, blank=True)
    naeste_skridt = models.CharField("næste skridt", max_length=300, blank=True)
    naeste_skridt_dato = models.DateField("næste skridt dato", null=True, blank=True)

    class Meta:
        verbose_name = "forløb"
        verbose_name_plural = "forløb"
        ordering = ["-oprettet"]
        constraints = [
            models.UniqueConstraint(
                fields=["borger"], condition=~models.Q(tilstand="afsluttet"), name="forloeb_et_aabent_pr_borger"
            )
        ]
        indexes = [
            models.Index(fields=["sagsbehandler", "tilstand"], name="forloeb_ejer_tilstand_idx"),
            models.Index(fields=["team", "tilstand", "oprettet", "id"], name="forloeb_team_tilstand_idx"),
            # The API list (docs/performance.md "Lists at scale"): scope (+ filter) + the keyset order.
            models.Index(fields=["kommune", "oprettet", "id"], name="forloeb_kommune_liste_idx"),
            models.Index(fields=["kommune", "tilstand", "oprettet", "id"], name="forloeb_kom_tilst_liste_idx"),
            models.Index(fields=["team", "oprettet", "id"], name="forloeb_team_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"Forløb for {self.borger} ({self.get_tilstand_display()})"

    @property
    def er_aabent(self) -> bool:
        return self.tilstand != Tilstand.AFSLUTTET

    # ---- transitions (state changes only; the rest of each is its spec in cases.overgange, checked
    # against these at start-up; rules in cases.rules, effects in cases.services) ----
    @transition(
        tilstand,
        source=[T.AKTIVITETSPARAT, T.RESSOURCEFORLOEB, T.FLEKSJOB],
        target=T.FORBEREDENDE_PLAN,
        conditions=_guards("start_forberedende_plan"),
    )
    def start_forberedende_plan(self):
        pass

    @transition(
        tilstand,
        source=T.FORBEREDENDE_PLAN,
        target=T.REHABILITERINGSTEAM,
        conditions=_guards("forelaeg_rehabiliteringsteam"),
    )
    def forelaeg_rehabiliteringsteam(self):
        pass

    @transition(
        tilstand, source=T.REHABILITERINGSTEAM, target=T.INDSTILLING, conditions=_guards("registrer_indstilling")
    )
    def registrer_indstilling(self):
        pass

    @transition(tilstand, source=T.REHABILITERINGSTEAM, target=T.FORBEREDENDE_PLAN, conditions=_guards("udsaet"))
    def udsaet(self):
        pass

    @transition(tilstand, source=T.INDSTILLING, target=T.REHABILITERINGSTEAM, conditions=_guards("genforelaeg"))
    def genforelaeg(self):
        pass

    @transition(
        tilstand,
        source=T.INDSTILLING,
        target=T.FOERTIDSPENSION_BEHANDLING,
        conditions=_guards("overgaa_til_pensionsbehandling"),
    )
    def overgaa_til_pensionsbehandling(self):
        pass

    @transition(
        tilstand, source=T.INDSTILLING, target=T.RESSOURCEFORLOEB, conditions=_guards("bevilg_ressourceforloeb")
    )
    def bevilg_ressourceforloeb(self):
        pass

    @transition(tilstand, source=T.INDSTILLING, target=T.FLEKSJOB, conditions=_guards("visiter_fleksjob"))
    def visiter_fleksjob(self):
        pass

    @transition(tilstand, source=T.INDSTILLING, target=T.AKTIVITETSPARAT, conditions=_guards("anden_indsats"))
    def anden_indsats(self):
        pass

    @transition(
        tilstand,
        source=T.FOERTIDSPENSION_BEHANDLING,
        target=T.FOERTIDSPENSION,
        conditions=_guards("tilkend_foertidspension"),
    )
    def tilkend_foertidspension(self):
        pass

    @transition(
        tilstand,
        source=T.FOERTIDSPENSION_BEHANDLING,
        target=RETURN_VALUE(T.AKTIVITETSPARAT, T.RESSOURCEFORLOEB, T.FLEKSJOB),
        conditions=_guards("afslaa_foertidspension"),
    )
    def afslaa_foertidspension(self, videre=T.AKTIVITETSPARAT):
        return videre

    @transition(
        tilstand,
        source=T.FORBEREDENDE_PLAN,
        target=T.FOERTIDSPENSION_BEHANDLING,
        conditions=_guards("spring_team_over_aabenbar"),
    )
    def spring_team_over_aabenbar(self):
        pass

    @transition(
        tilstand,
        source=[T.AKTIVITETSPARAT, T.FORBEREDENDE_PLAN],
        target=T.FOERTIDSPENSION_BEHANDLING,
        conditions=_guards("spring_team_over_utvivlsom"),
    )
    def spring_team_over_utvivlsom(self):
        pass

    @transition(tilstand, source=AABNE_TILSTANDE, target=T.AFSLUTTET, conditions=_guards("afslut"))
    def afslut(self):
        pass


class OvergangLog(models.Model):
    """History of transitions: who, when, which data and which rule versions."""

    id = models.BigAutoField(primary_key=True)
    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, related_name="historik")
    overgang = models.CharField(max_length=60)
    fra_tilstand = models.CharField(max_length=40)
    til_tilstand = models.CharField(max_length=40)
    dato = models.DateField(help_text="The date the transition takes effect (may be before today)")
    tidspunkt = models.DateTimeField(auto_now_add=True)
    actor_type = models.CharField(max_length=20)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_navn = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    regler = models.JSONField(default=dict, help_text="Rule catalogue rows applied (ids per kind)")

    class Meta:
        ordering = ["tidspunkt", "id"]

    def __str__(self) -> str:
        return f"{self.overgang} {self.fra_tilstand}→{self.til_tilstand}"


class Haendelse(models.Model):
    """An event that drives deadlines: a transition, a letter sent, a reply, a meeting held."""

    id = models.BigAutoField(primary_key=True)
    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, related_name="haendelser")
    kode = models.CharField(max_length=60, db_index=True)
    dato = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True)
    actor_navn = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["dato", "id"]
        indexes = [models.Index(fields=["forloeb", "kode"], name="haendelse_forloeb_kode_idx")]

    def __str__(self) -> str:
        return f"{self.kode} {self.dato}"


class FristStatus(models.TextChoices):
    AABEN = "aaben", "Åben"
    OVERHOLDT = "overholdt", "Overholdt"
    OVERSKREDET = "overskredet", "Overskredet"
    FORLAENGET = "forlaenget", "Forlænget"
    BORTFALDET = "bortfaldet", "Bortfaldet"


class Frist(models.Model):
    """A deadline, created and closed by events, never by hand. Its computation is frozen at creation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, related_name="frister")
    kommune_id = models.UUIDField(db_index=True)
    team_id = models.UUIDField()
    art = models.CharField(max_length=40)
    reference = models.CharField(
        max_length=64, blank=True, default="", help_text="What the deadline belongs to, e.g. a decision's id"
    )
    definition = models.ForeignKey("cases.FristDefinition", on_delete=models.PROTECT, related_name="frister")
    start_haendelse = models.CharField(max_length=60)
    start_dato = models.DateField()
    forfald = models.DateField("forfaldsdato", help_text="As computed at creation")
    gaeldende_forfald = models.DateField(help_text="Due date now in force (later than forfald when extended)")
    type = models.CharField(max_length=30)
    ansvar = models.CharField(max_length=10)
    lovgrundlag = models.CharField(max_length=200)
    forklaring = models.TextField()
    varsler_dage = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    status = models.CharField(max_length=12, choices=FristStatus.choices, default=FristStatus.AABEN)
    lukket_dato = models.DateField(null=True, blank=True)
    lukket_af = models.CharField(max_length=60, blank=True)
    overskredet_tidspunkt = models.DateTimeField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "frist"
        verbose_name_plural = "frister"
        ordering = ["gaeldende_forfald"]
        indexes = [
            # The sweep and the dashboards only look at open deadlines, by due date.
            models.Index(
                fields=["gaeldende_forfald"],
                name="frist_aaben_forfald_idx",
                condition=models.Q(lukket_dato__isnull=True),
            ),
            # What the sweep still has to look at: open and not yet marked overdue.
            models.Index(
                fields=["gaeldende_forfald"],
                name="frist_sweep_idx",
                condition=models.Q(lukket_dato__isnull=True, status__in=["aaben", "forlaenget"]),
            ),
            models.Index(fields=["forloeb", "art"], name="frist_forloeb_art_idx"),
            models.Index(fields=["team_id", "status", "gaeldende_forfald", "id"], name="frist_team_status_idx"),
            # The API list (docs/performance.md "Lists at scale"): scope (+ filter) + the keyset order
            # (gaeldende_forfald, id); forfald_foer/efter are ranges on the same key.
            models.Index(fields=["kommune_id", "gaeldende_forfald", "id"], name="frist_kommune_liste_idx"),
            models.Index(fields=["kommune_id", "status", "gaeldende_forfald", "id"], name="frist_kom_status_liste_idx"),
            models.Index(
                fields=["kommune_id", "gaeldende_forfald", "id"],
                name="frist_kom_aaben_liste_idx",
                condition=models.Q(lukket_dato__isnull=True),
            ),
            models.Index(fields=["team_id", "gaeldende_forfald", "id"], name="frist_team_liste_idx"),
            models.Index(
                fields=["team_id", "gaeldende_forfald", "id"],
                name="frist_team_aaben_liste_idx",
                condition=models.Q(lukket_dato__isnull=True),
            ),
            models.Index(fields=["kommune_id", "art", "gaeldende_forfald", "id"], name="frist_kom_art_liste_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["forloeb", "art", "reference"],
                condition=models.Q(lukket_dato__isnull=True),
                name="frist_en_aaben_pr_art",
            )
        ]

    def __str__(self) -> str:
        return f"{self.art} {self.gaeldende_forfald}"

    @property
    def er_aaben(self) -> bool:
        return self.lukket_dato is None

    @property
    def rettidig(self) -> bool | None:
        if self.lukket_dato is None or self.status == FristStatus.BORTFALDET:
            return None
        return self.lukket_dato <= self.gaeldende_forfald


class NotifikationNiveau(models.TextChoices):
    VARSEL = "varsel", "Varsel"
    OVERSKREDET = "overskredet", "Overskredet"
    ESKALERING = "eskalering", "Eskaleret til teamleder"
    INFO = "info", "Information"


class Notifikation(models.Model):
    """In-app notification (and e-mail). One per deadline, threshold and recipient — by constraint;
    a team leader's escalations come as one digest per sweep (``fristliste``, threshold ``digest-<run>``)."""

    id = models.BigAutoField(primary_key=True)
    # No single-column indexes: the unique (frist, taerskel, modtager) and (modtager, laest) cover the lookups.
    modtager = models.ForeignKey("cases.User", on_delete=models.CASCADE, related_name="notifikationer", db_index=False)
    frist = models.ForeignKey(
        Frist, on_delete=models.CASCADE, null=True, blank=True, related_name="notifikationer", db_index=False
    )
    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    niveau = models.CharField(max_length=12, choices=NotifikationNiveau.choices)
    taerskel = models.CharField(max_length=20, help_text="e.g. 21d, 7d, overskredet")
    titel = models.CharField(max_length=200)
    tekst = models.TextField()
    oprettet = models.DateTimeField(auto_now_add=True, db_index=True)
    laest = models.DateTimeField(null=True, blank=True)
    email_sendt = models.DateTimeField(null=True, blank=True)
    # A team leader's digest (niveau eskalering, no frist/forløb of its own): the deadlines one sweep
    # found newly overdue in her teams, as [{"frist", "forloeb", "navn", "forfald", "uden_ejer"}].
    # No citizen data: the page looks the citizen up (masked, audited) only for forløb the reader may see.
    fristliste = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-oprettet"]
        constraints = [
            models.UniqueConstraint(
                fields=["frist", "taerskel", "modtager"],
                name="notifikation_en_pr_frist_taerskel_modtager",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["modtager", "laest"], name="notifikation_modtager_idx")]

    def __str__(self) -> str:
        return self.titel


class NotatType(models.TextChoices):
    SAMTALE = "samtale", "Samtale"
    TELEFON = "telefon", "Telefonnotat"
    MAIL = "mail", "Mail"
    MOEDE = "moede", "Møde"
    NOTAT = "notat", "Notat"
    OVERDRAGELSE = "overdragelse", "Overdragelse"


class Journalnotat(models.Model):
    """A journal note. Immutable once written: corrections are new notes (notatpligt)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey(Forloeb, on_delete=models.PROTECT, related_name="journalnotater")
    type = models.CharField(max_length=20, choices=NotatType.choices)
    overskrift = models.CharField(max_length=200)
    tekst = models.TextField()
    naeste_skridt = models.CharField("næste skridt", max_length=300, blank=True)
    naeste_skridt_dato = models.DateField("næste skridt dato", null=True, blank=True)
    forfatter = models.ForeignKey("cases.User", on_delete=models.PROTECT, null=True, related_name="+")
    forfatter_navn = models.CharField(max_length=200)
    oprettet = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "journalnotat"
        verbose_name_plural = "journalnotater"
        ordering = ["-oprettet"]
        indexes = [models.Index(fields=["oprettet", "id"], name="journalnotat_liste_idx")]

    def __str__(self) -> str:
        return self.overskrift


class Sagsejerskab(models.Model):
    """Who owned the forløb when; every change of owner has a handover note."""

    id = models.BigAutoField(primary_key=True)
    forloeb = models.ForeignKey(Forloeb, on_delete=models.CASCADE, related_name="ejerskaber")
    sagsbehandler = models.ForeignKey("cases.User", on_delete=models.PROTECT, related_name="+")
    fra = models.DateTimeField(auto_now_add=True)
    til = models.DateTimeField(null=True, blank=True)
    overdragelsesnotat = models.TextField(blank=True)
    tildelt_af_navn = models.CharField(max_length=200)

    class Meta:
        ordering = ["fra", "id"]
        constraints = [
            models.UniqueConstraint(fields=["forloeb"], condition=models.Q(til__isnull=True), name="et_aktivt_ejerskab")
        ]

    def __str__(self) -> str:
        return f"{self.sagsbehandler} fra {self.fra:%d.%m.%Y}"
