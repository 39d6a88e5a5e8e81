"""Fleksjob (DOMAIN.md §7, API.md "Agreement intake"): visitation, ledighedsydelse, employers,
employments, the arbejdsevnevurdering (LAB § 122, stk. 2) and agreements from external systems.

Rules live in ``flexjob/rules.py``, use cases in ``flexjob/services/``. Deadlines (arbejdsevne-
vurdering, follow-ups, the 4½-year status) come from the deadline engine through events.
"""

import uuid
from decimal import Decimal

from django.db import models


class Virksomhed(models.Model):
    """An employer (CVR, optionally a production unit's P-number), within one municipality's data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    cvr = models.CharField("CVR-nummer", max_length=8)
    p_nummer = models.CharField("P-nummer", max_length=10, blank=True)
    navn = models.CharField(max_length=200)
    kontaktperson = models.CharField(max_length=200, blank=True)
    telefon = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "virksomhed"
        verbose_name_plural = "virksomheder"
        ordering = ["navn"]
        indexes = [models.Index(fields=["kommune", "navn", "id"], name="virksomhed_liste_idx")]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "cvr", "p_nummer"], name="virksomhed_unik_pr_kommune")
        ]

    def __str__(self) -> str:
        return f"{self.navn} (CVR {self.cvr})"


class Visitation(models.Model):
    """The fleksjob visitation, linked to its decision, with the assessed capacity as the baseline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="visitationer")
    afgoerelse = models.OneToOneField("decisions.Dokument", on_delete=models.PROTECT, related_name="visitation")
    dato = models.DateField()
    baseline_timer = models.DecimalField("vurderet arbejdsevne, timer pr. uge", max_digits=4, decimal_places=1)
    baseline_intensitet = models.PositiveSmallIntegerField("vurderet arbejdsintensitet (%)")
    meget_begraenset = models.BooleanField("aktuelt meget begrænset arbejdsevne", default=False)
    permanent = models.BooleanField(
        "permanent fleksjob", default=False, help_text="Kun efter et midlertidigt fleksjob og fra 40 år"
    )
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dato"]
        indexes = [models.Index(fields=["oprettet", "id"], name="visitation_liste_idx")]

    def __str__(self) -> str:
        return f"Visitation {self.dato:%d.%m.%Y}"


class Ledighedsydelse(models.Model):
    """A period on ledighedsydelse while the citizen looks for a fleksjob; the waiting time is visible."""

    id = models.BigAutoField(primary_key=True)
    visitation = models.ForeignKey(Visitation, on_delete=models.PROTECT, related_name="ledighedsperioder")
    start = models.DateField()
    slut = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["visitation"], condition=models.Q(slut__isnull=True), name="en_aaben_ledighedsperiode"
            )
        ]

    def __str__(self) -> str:
        return f"Ledighedsydelse fra {self.start:%d.%m.%Y}"


class BevillingType(models.TextChoices):
    HJAELPEMIDDEL = "hjaelpemiddel", "Hjælpemiddel"
    ARBEJDSPLADSINDRETNING = "arbejdspladsindretning", "Arbejdspladsindretning"
    PERSONLIG_ASSISTANCE = "personlig_assistance", "Personlig assistance"
    MENTOR = "mentor", "Mentor"
    OPLAERING = "oplaering", "Oplæring eller uddannelse"
    ANDET = "andet", "Andet"


class Bevilling(models.Model):
    """An earlier grant to the citizen (an aid, personal assistance, a workplace adaptation ...),
    registered as a structured fact the arbejdsevnevurdering's compensatory measures can cite and a
    decision's begrundelse can point at (lov om kompensation til handicappede i erhverv, LAB § 179)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    borger = models.ForeignKey("cases.Borger", on_delete=models.PROTECT, related_name="bevillinger")
    forloeb = models.ForeignKey(
        "cases.Forloeb", on_delete=models.PROTECT, null=True, blank=True, related_name="bevillinger"
    )
    type = models.CharField(max_length=30, choices=BevillingType.choices)
    dato = models.DateField("bevilget (dato)")
    beskrivelse = models.TextField("hvad er bevilget")
    bevilget_af = models.CharField(
        "bevilget af", max_length=200, help_text="Myndighed eller enhed, der traf afgørelsen"
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.CharField(max_length=200)

    class Meta:
        verbose_name = "tidligere bevilling"
        verbose_name_plural = "tidligere bevillinger"
        ordering = ["-dato", "-oprettet"]
        indexes = [models.Index(fields=["oprettet", "id"], name="bevilling_liste_idx")]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.beskrivelse[:60]} ({self.dato:%d.%m.%Y})"


class AnsaettelseKilde(models.TextChoices):
    MANUEL = "manuel", "Indtastet af jobcentret"
    AFTALE = "aftale", "Fra godkendt aftale"


class Ansaettelse(models.Model):
    """An employment in fleksjob."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="ansaettelser")
    visitation = models.ForeignKey(Visitation, on_delete=models.PROTECT, related_name="ansaettelser")
    virksomhed = models.ForeignKey(Virksomhed, on_delete=models.PROTECT, related_name="ansaettelser")
    start = models.DateField()
    slut = models.DateField(null=True, blank=True)
    loennede_timer = models.DecimalField("lønnede timer pr. uge", max_digits=4, decimal_places=1)
    intensitet = models.PositiveSmallIntegerField("jobbets arbejdsintensitet (%)", null=True, blank=True)
    opgaver = models.TextField("jobbets konkrete opgaver", blank=True)
    midlertidig = models.BooleanField(default=True)
    timer_begrundelse = models.TextField("begrundelse for mere end 37 timer pr. uge", blank=True)
    kilde = models.CharField(max_length=10, choices=AnsaettelseKilde.choices, default=AnsaettelseKilde.MANUEL)
    aftale = models.OneToOneField(
        "flexjob.Aftale", on_delete=models.PROTECT, null=True, blank=True, related_name="ansaettelse"
    )
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ansættelse"
        verbose_name_plural = "ansættelser"
        ordering = ["-start"]
        indexes = [models.Index(fields=["oprettet", "id"], name="ansaettelse_liste_idx")]

    def __str__(self) -> str:
        return f"{self.virksomhed.navn} fra {self.start:%d.%m.%Y}"


class Vaerktoej(models.TextChoices):
    """The tool or template the assessment was made with (reported in Ankestyrelsen's practice study)."""

    KL_AB325 = "kl_ab325", "KL's blanket AB 325 (i VITAS)"
    KOMMUNENS_SKEMA = "kommunens_skema", "Kommunens eget skema"
    ANDET = "andet", "Andet værktøj"


class Arbejdsevnevurdering(models.Model):
    """The structured content of a decision of type arbejdsevnevurdering_fleksjob, one per version.

    A reassessment (when employer and employee jointly ask) is a new version whose decision replaces
    the previous one; every earlier version is kept.
    """

    #: ``version`` numbers the reassessments; it is no optimistic-concurrency token (infra.api.etag).
    OPTIMISTISK_VERSION = False

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dokument = models.OneToOneField("decisions.Dokument", on_delete=models.PROTECT, related_name="arbejdsevnevurdering")
    ansaettelse = models.ForeignKey(Ansaettelse, on_delete=models.PROTECT, related_name="vurderinger")
    version = models.PositiveSmallIntegerField(default=1)
    forrige = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="naeste")
    faelles_anmodning = models.BooleanField(
        "arbejdsgiver og medarbejder har sammen bedt om ny vurdering", default=False
    )
    timer = models.DecimalField("arbejdsevne, timer pr. uge", max_digits=4, decimal_places=1)
    intensitet = models.PositiveSmallIntegerField("arbejdsintensitet (%)")
    job_timer = models.DecimalField("jobbets timer pr. uge", max_digits=4, decimal_places=1)
    job_intensitet = models.PositiveSmallIntegerField("jobbets arbejdsintensitet (%)")
    baseline_timer = models.DecimalField(max_digits=4, decimal_places=1)
    baseline_intensitet = models.PositiveSmallIntegerField()
    opgaver = models.TextField("jobbets konkrete opgaver", blank=True)
    skaanehensyn = models.JSONField(default=list, blank=True, help_text="[{hensyn, imoedekommet}]")
    afvigelse_begrundelse = models.TextField(blank=True)
    timer_begrundelse = models.TextField("begrundelse for mere end 37 timer pr. uge", blank=True)
    hjaelpemidler = models.TextField(blank=True)
    arbejdspladsindretning = models.TextField(blank=True)
    personlig_assistance = models.TextField(blank=True)
    mentor_timer_pr_uge = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    mentor_varighed_uger = models.PositiveSmallIntegerField(null=True, blank=True)
    oplaering = models.TextField("oplæring", blank=True)
    tidligere_bevillinger = models.ManyToManyField(Bevilling, blank=True, related_name="vurderinger")
    progression = models.TextField("progressionsvurdering", blank=True)
    milepaele = models.JSONField(default=list, blank=True, help_text="[{dato, beskrivelse}]")
    opfoelgningsdatoer = models.JSONField(default=list, blank=True)
    loen_bekraeftet = models.BooleanField("jobbet er lønnet af arbejdsgiveren", default=False)
    forebyggelse = models.TextField("tiltag mod yderligere nedsættelse af arbejdsevnen", blank=True)
    inddragelse_moede_dato = models.DateField("møde med borger og arbejdsgiver (dato)", null=True, blank=True)
    inddragelse_deltagere = models.TextField("deltagere i mødet", blank=True)
    vaerktoej = models.CharField("værktøj eller skabelon", max_length=20, choices=Vaerktoej.choices, blank=True)
    vaerktoej_beskrivelse = models.CharField("andet værktøj", max_length=200, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "arbejdsevnevurdering"
        verbose_name_plural = "arbejdsevnevurderinger"
        ordering = ["ansaettelse", "-version"]
        indexes = [models.Index(fields=["oprettet", "id"], name="vurdering_liste_idx")]
        constraints = [models.UniqueConstraint(fields=["ansaettelse", "version"], name="vurdering_unik_version")]

    def __str__(self) -> str:
        return f"Arbejdsevnevurdering v{self.version}"

    @property
    def effektive_timer(self) -> Decimal:
        return (self.timer * Decimal(self.intensitet) / Decimal(100)).quantize(Decimal("0.01"))

    @property
    def afviger(self) -> bool:
        return self.job_timer != self.timer or self.job_intensitet != self.intensitet

    @property
    def job_effektive_timer(self) -> Decimal:
        return (self.job_timer * Decimal(self.job_intensitet) / Decimal(100)).quantize(Decimal("0.01"))


class AftaleType(models.TextChoices):
    VIRKSOMHEDSPRAKTIK = "virksomhedspraktik", "Virksomhedspraktik"
    LOENTILSKUD = "loentilskud", "Løntilskud"
    FLEKSJOB = "fleksjob", "Fleksjob"
    MENTOR = "mentor", "Mentor"
    HJAELPEMIDDEL = "hjaelpemiddel", "Hjælpemiddel"
    PERSONLIG_ASSISTANCE = "personlig_assistance", "Personlig assistance"


class AftaleStatus(models.TextChoices):
    MODTAGET = "modtaget", "Modtaget – afventer behandling"
    GODKENDT = "godkendt", "Godkendt"
    AFVIST = "afvist", "Afvist"


class Aftale(models.Model):
    """An agreement with an employer registered by an external (Vitas-like) system."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    klient = models.ForeignKey("cases.ApiKlient", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    type = models.CharField(max_length=30, choices=AftaleType.choices)
    status = models.CharField(max_length=10, choices=AftaleStatus.choices, default=AftaleStatus.MODTAGET)
    borger = models.ForeignKey("cases.Borger", on_delete=models.PROTECT, related_name="aftaler")
    virksomhed_cvr = models.CharField(max_length=8)
    virksomhed_p_nummer = models.CharField(max_length=10, blank=True)
    virksomhed_navn = models.CharField(max_length=200)
    virksomhed_kontakt = models.CharField(max_length=200, blank=True)
    start = models.DateField()
    slut = models.DateField(null=True, blank=True)
    timer_pr_uge = models.DecimalField(max_digits=4, decimal_places=1)
    timer_begrundelse = models.TextField(blank=True, help_text="Required above 37 hours a week")
    opgaver = models.TextField()
    formaal = models.TextField()
    fleksjob_timer = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    fleksjob_intensitet = models.PositiveSmallIntegerField(null=True, blank=True)
    # The external system's own reference (the VITAS id) and the form the agreement was made on.
    ekstern_reference = models.CharField("ekstern reference (fx VITAS-id)", max_length=100, blank=True)
    blanket = models.CharField("blanket", max_length=40, blank=True, help_text="Fx AB 325")
    # The parties' confirmations (in VITAS: with MitID/NemID): who and when.
    borger_bekraeftet = models.DateTimeField("borgeren har bekræftet", null=True, blank=True)
    borger_bekraeftet_af = models.CharField("bekræftet af (borgeren)", max_length=200, blank=True)
    arbejdsgiver_bekraeftet = models.DateTimeField("arbejdsgiveren har bekræftet", null=True, blank=True)
    arbejdsgiver_bekraeftet_af = models.CharField("bekræftet af (arbejdsgiveren)", max_length=200, blank=True)
    afvist_begrundelse = models.TextField(blank=True)
    behandlet = models.DateTimeField(null=True, blank=True)
    behandlet_af = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aftale"
        verbose_name_plural = "aftaler"
        ordering = ["-oprettet"]
        indexes = [
            models.Index(fields=["kommune", "status"], name="aftale_kommune_status_idx"),
            models.Index(fields=["klient", "oprettet", "id"], name="aftale_klient_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} hos {self.virksomhed_navn} ({self.get_status_display()})"
