"""Rehabilitation (DOMAIN.md §4): the forberedende del, rehab meetings, the indstilling, partshøring.

Business rules live in ``rehab/rules.py`` (content rules, guard rules for the forløb) and
``rehab/services/`` (use cases). The indstilling is a recommendation, never a decision: it has
no klagevejledning and starts no klagefrist.
"""

import uuid

from django.db import models

SEKTIONER = [
    ("job_uddannelse", "Job og uddannelse"),
    ("ressourcer", "Personlige styrker og ressourcer"),
    ("sociale_forhold", "Sociale forhold"),
    ("helbred", "Helbred"),
    ("tidligere_indsats", "Kommunens tidligere indsats"),
    ("forsoergelseshistorik", "Forsørgelseshistorik"),
    ("beskaeftigelsesindsats", "Beskæftigelsesindsats"),
    ("social_indsats", "Social indsats"),
]

TJEKLISTE = [
    ("tjek_stationaer", "Er tilstanden stationær, og er behandlingsmulighederne udtømte?"),
    ("tjek_varig", "Er nedsættelsen varig og væsentlig?"),
    ("tjek_svingende", "Er tilstanden svingende, så der er brug for ny viden?"),
    ("tjek_skaanehensyn", "Er der skånehensyn ved aktiviteter?"),
    ("tjek_diagnose", "Er den primære diagnose afklaret?"),
    ("tjek_behandling", "Er behandlingen alene livskvalitetsforbedrende, eller påvirker den arbejdsevnen?"),
]


class TjekSvar(models.TextChoices):
    JA = "ja", "Ja"
    NEJ = "nej", "Nej"
    UAFKLARET = "uafklaret", "Uafklaret"


class ForberedendeDel(models.Model):
    """Rehabiliteringsplanens forberedende del: descriptive only, written with the citizen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="forberedende_dele")
    job_uddannelse = models.TextField("Job og uddannelse", blank=True)
    ressourcer = models.TextField("Personlige styrker og ressourcer", blank=True)
    sociale_forhold = models.TextField("Sociale forhold", blank=True)
    helbred = models.TextField("Helbred", blank=True)
    tidligere_indsats = models.TextField("Kommunens tidligere indsats", blank=True)
    forsoergelseshistorik = models.TextField("Forsørgelseshistorik", blank=True)
    beskaeftigelsesindsats = models.TextField("Beskæftigelsesindsats", blank=True)
    social_indsats = models.TextField("Social indsats", blank=True)
    skrevet_med_borger_dato = models.DateField("skrevet sammen med borgeren (dato)", null=True, blank=True)
    borgerens_bemaerkninger = models.TextField("borgerens egne bemærkninger", blank=True)
    egen_ansoegning_eksisterende_dokumentation = models.BooleanField(
        "ansøgning om førtidspension på det foreliggende grundlag (pensionsloven § 17, stk. 2)", default=False
    )
    laegeattest_undladt_begrundelse = models.TextField(
        "begrundelse for at undlade LÆ 265", blank=True, help_text="Kun hvor reglerne tillader at undlade attesten"
    )
    tjek_stationaer = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    tjek_varig = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    tjek_svingende = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    tjek_skaanehensyn = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    tjek_diagnose = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    tjek_behandling = models.CharField(max_length=10, choices=TjekSvar.choices, blank=True)
    udeladte_sektioner = models.JSONField(
        "afsnit udeladt (ved spring over teamet)",
        default=dict,
        blank=True,
        help_text="{afsnit: begrundelse} for afsnit, der ikke er relevante, når sagen ikke forelægges teamet",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    opdateret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "forberedende del"
        verbose_name_plural = "forberedende dele"
        ordering = ["-oprettet"]
        indexes = [models.Index(fields=["oprettet", "id"], name="forberedende_del_liste_idx")]

    def __str__(self) -> str:
        return f"Forberedende del ({self.forloeb_id})"


class BilagType(models.TextChoices):
    LAE265 = "lae265", "Lægeattest LÆ 265"
    LAEGELIG = "laegelig", "Anden lægelig dokumentation"
    LEVERANDOER = "leverandoer", "Rapport fra leverandør"
    ANDET = "andet", "Andet"


class SundhedsKilde(models.TextChoices):
    EGEN_LAEGE = "egen_laege", "Egen læge"
    SPECIALLAEGE = "speciallaege", "Speciallæge/hospital"
    KLINISK_FUNKTION = "klinisk_funktion", "Regionens kliniske funktion"
    SUNDHEDSKOORDINATOR = "sundhedskoordinator", "Sundhedskoordinator"
    ANDET = "andet", "Andet"


class Bilag(models.Model):
    """An attachment to the forberedende del: medical documentation, provider reports, other."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forberedende_del = models.ForeignKey(ForberedendeDel, on_delete=models.PROTECT, related_name="bilag")
    type = models.CharField(max_length=20, choices=BilagType.choices)
    titel = models.CharField(max_length=200)
    dokument_dato = models.DateField("dokumentets dato")
    kilde = models.CharField("udsteder", max_length=30, choices=SundhedsKilde.choices, blank=True)
    fil = models.FileField(upload_to="bilag/%Y/%m/", blank=True)
    resume = models.TextField("resumé", blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.CharField(max_length=200)

    class Meta:
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["dokument_dato"]

    def __str__(self) -> str:
        return self.titel

    @property
    def er_helbredsdokument(self) -> bool:
        return self.type in (BilagType.LAE265, BilagType.LAEGELIG)


class Omraade(models.TextChoices):
    BESKAEFTIGELSE = "beskaeftigelse", "Beskæftigelse"
    SUNDHED = "sundhed", "Sundhed"
    SOCIAL = "social", "Social"
    SUNDHEDSKOORDINATOR = "sundhedskoordinator", "Regionens sundhedskoordinator"
    UDDANNELSE = "uddannelse", "Uddannelse (unge under 30 uden erhvervsuddannelse)"


class Moededag(models.Model):
    """A meeting day of the rehabiliteringsteam with its capacity and members."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    dato = models.DateField()
    sted = models.CharField(max_length=200, blank=True)
    kapacitet = models.PositiveSmallIntegerField(default=6)
    moedeleder = models.ForeignKey("cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mødedag"
        verbose_name_plural = "mødedage"
        ordering = ["dato"]
        constraints = [models.UniqueConstraint(fields=["kommune", "dato", "sted"], name="moededag_unik")]

    def __str__(self) -> str:
        return f"Rehabiliteringsteam {self.dato:%d.%m.%Y}"


class Teammedlem(models.Model):
    moededag = models.ForeignKey(Moededag, on_delete=models.CASCADE, related_name="medlemmer")
    navn = models.CharField(max_length=200)
    omraade = models.CharField(max_length=30, choices=Omraade.choices)

    class Meta:
        ordering = ["omraade", "navn"]

    def __str__(self) -> str:
        return f"{self.navn} ({self.get_omraade_display()})"


class BookingStatus(models.TextChoices):
    BOOKET = "booket", "Booket"
    AFHOLDT = "afholdt", "Afholdt"
    AFLYST = "aflyst", "Aflyst"


class Booking(models.Model):
    """A forløb's place on a meeting day, and afterwards the meeting record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    moededag = models.ForeignKey(Moededag, on_delete=models.PROTECT, related_name="bookinger")
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="rehab_bookinger")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKET)
    tidspunkt = models.TimeField(null=True, blank=True)
    borger_til_stede = models.BooleanField(null=True, blank=True)
    bisidder_navn = models.CharField(max_length=200, blank=True)
    deltagere = models.ManyToManyField(Teammedlem, blank=True, related_name="+")
    referat = models.TextField(blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "booking"
        verbose_name_plural = "bookinger"
        ordering = ["moededag__dato", "tidspunkt"]
        indexes = [models.Index(fields=["oprettet", "id"], name="booking_liste_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["forloeb"], condition=models.Q(status="booket"), name="booking_en_aktiv_pr_forloeb"
            )
        ]

    def __str__(self) -> str:
        return f"{self.moededag} – {self.forloeb_id}"


class KompVurdering(models.TextChoices):
    """The team's position on one compensatory option (seed-001 §2: an optional, prompted field)."""

    OVERVEJET = "overvejet", "Overvejet, ikke anbefalet"
    IKKE_RELEVANT = "ikke_relevant", "Ikke relevant"
    ANBEFALET = "anbefalet", "Anbefalet"


class ProgressionMulig(models.TextChoices):
    JA = "ja", "Ja, progression er mulig"
    NEJ = "nej", "Nej, progression forventes ikke"
    UAFKLARET = "uafklaret", "Uafklaret"


#: The compensatory options the team takes a position on (LAB § 179; lov om kompensation til
#: handicappede i erhverv): field → label.
KOMPENSERENDE = [
    ("komp_hjaelpemidler", "Hjælpemidler"),
    ("komp_arbejdspladsindretning", "Arbejdspladsindretning"),
    ("komp_personlig_assistance", "Personlig assistance"),
    ("komp_mentor", "Mentor"),
    ("komp_oplaering", "Oplæring"),
]


class Indstilling(models.Model):
    """The team's indstilling, with the content its outcome requires as structured fields."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="indstillinger")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    udfald = models.CharField(max_length=30)  # cases.models.Udfald, or "udsaettelse"
    dato = models.DateField()
    skrevet_af = models.CharField("mødeleder", max_length=200)
    # Shared by fleksjob and førtidspension
    faktorer_beskaeftigelse = models.TextField("beskæftigelsesmæssige forhold", blank=True)
    faktorer_sociale = models.TextField("sociale forhold", blank=True)
    faktorer_helbred = models.TextField("helbredsmæssige forhold", blank=True)
    # Fleksjob
    hvorfor_ikke_ordinaere_vilkaar = models.TextField("hvorfor arbejde på ordinære vilkår ikke er muligt", blank=True)
    egnede_jobtyper = models.TextField("egnede jobtyper/arbejdsfunktioner", blank=True)
    saerlige_hensyn = models.TextField("særlige hensyn og støtte i overgangen", blank=True)
    meget_begraenset_arbejdsevne = models.BooleanField("aktuelt meget begrænset arbejdsevne", default=False)
    udvikling_begrundelse = models.TextField("hvorfor arbejdsevnen kan udvikles inden for rimelig tid", blank=True)
    # Structured content the practice study asks the team to address (compensatory options and
    # progression are prompted, not required: BEK § 9 does not demand them).
    jobmaal = models.TextField("beskæftigelsesmål", blank=True)
    arbejdsevne_omfang = models.TextField("omfanget af den nedsatte arbejdsevne", blank=True)
    vurderet_timer = models.DecimalField(
        "teamets vurdering: timer pr. uge", max_digits=4, decimal_places=1, null=True, blank=True
    )
    vurderet_intensitet = models.PositiveSmallIntegerField(
        "teamets vurdering: arbejdsintensitet (%)", null=True, blank=True
    )
    tidligere_forloeb = models.TextField("tidligere forløb og indsatser", blank=True)
    progression_mulig = models.CharField(
        "er progression mulig", max_length=10, choices=ProgressionMulig.choices, blank=True
    )
    udviklingsperspektiv = models.TextField("progression og udviklingsmuligheder", blank=True)
    komp_hjaelpemidler = models.CharField("hjælpemidler", max_length=15, choices=KompVurdering.choices, blank=True)
    komp_arbejdspladsindretning = models.CharField(
        "arbejdspladsindretning", max_length=15, choices=KompVurdering.choices, blank=True
    )
    komp_personlig_assistance = models.CharField(
        "personlig assistance", max_length=15, choices=KompVurdering.choices, blank=True
    )
    komp_mentor = models.CharField("mentor", max_length=15, choices=KompVurdering.choices, blank=True)
    komp_oplaering = models.CharField("oplæring", max_length=15, choices=KompVurdering.choices, blank=True)
    kompenserende_bemaerkninger = models.TextField("kompenserende ordninger: bemærkninger", blank=True)
    # Førtidspension
    faglig_begrundelse = models.TextField("faglig begrundelse for varigt og væsentligt nedsat arbejdsevne", blank=True)
    # Ressourceforløb
    maal = models.TextField("mål", blank=True)
    indsats_beskaeftigelse = models.TextField("beskæftigelsesrettet indsats", blank=True)
    indsats_uddannelse = models.TextField("uddannelsesrettet indsats", blank=True)
    indsats_social = models.TextField("social indsats", blank=True)
    indsats_helbred = models.TextField("helbredsmæssig indsats", blank=True)
    opfoelgning = models.TextField("opfølgning, herunder mentor", blank=True)
    raekkefoelge = models.TextField("indsatsernes rækkefølge", blank=True)
    team_oensker_sagen_retur = models.BooleanField("teamet ønsker sagen forelagt igen", default=False)
    # Anden indsats / udsættelse
    anden_indsats_beskrivelse = models.TextField("anden indsats", blank=True)
    udsaettelse_aarsag = models.TextField("årsag til udsættelse", blank=True)
    udsaettelse_mangler = models.TextField("hvad mangler", blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "indstilling"
        verbose_name_plural = "indstillinger"
        ordering = ["-dato", "-oprettet"]
        indexes = [models.Index(fields=["oprettet", "id"], name="indstilling_liste_idx")]

    def __str__(self) -> str:
        return f"Indstilling: {self.udfald} ({self.dato:%d.%m.%Y})"


class Undtagelse(models.TextChoices):
    """Forvaltningslovens § 19, stk. 2 (and § 20) exceptions from partshøring."""

    NR1 = "fvl_19_2_nr1", "§ 19, stk. 2, nr. 1: afgørelse på det foreliggende grundlag er ubetænkelig"
    NR2 = "fvl_19_2_nr2", "§ 19, stk. 2, nr. 2: udsættelse vil overskride en lovbestemt frist"
    NR3 = "fvl_19_2_nr3", "§ 19, stk. 2, nr. 3: afgørende offentlige eller private interesser"
    NR4 = "fvl_19_2_nr4", "§ 19, stk. 2, nr. 4: parten har ikke aktindsigt i oplysningerne"
    NR5 = "fvl_19_2_nr5", "§ 19, stk. 2, nr. 5: lovgivningen om aktindsigt i øvrigt"
    NR6 = "fvl_19_2_nr6", "§ 19, stk. 2, nr. 6: andre særlige forhold"
    FVL20 = "fvl_20", "§ 20: afgørelsen kan genoptages, og hensynet til parten taler for det"


class PartshoeringStatus(models.TextChoices):
    KLADDE = "kladde", "Brev under udarbejdelse"
    SENDT = "sendt", "Sendt"
    BESVARET = "besvaret", "Besvaret"
    UNDTAGET = "undtaget", "Undtaget"


class Partshoering(models.Model):
    """What the decision will rest on, sent to the citizen with a reply deadline — or an exception."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="partshoeringer")
    indstilling = models.ForeignKey(Indstilling, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=PartshoeringStatus.choices)
    grundlag = models.JSONField(
        default=list, help_text="[{tekst, kilde_type, kilde_id, kilde_titel}] — what the decision will rest on"
    )
    sendt_dato = models.DateField(null=True, blank=True)
    svarfrist = models.DateField(null=True, blank=True)
    svar_dato = models.DateField(null=True, blank=True)
    svar_tekst = models.TextField(blank=True)
    undtagelse = models.CharField(max_length=20, choices=Undtagelse.choices, blank=True)
    undtagelse_begrundelse = models.TextField(blank=True)
    brev = models.ForeignKey("decisions.Dokument", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "partshøring"
        verbose_name_plural = "partshøringer"
        ordering = ["-oprettet"]
        indexes = [models.Index(fields=["oprettet", "id"], name="partshoering_liste_idx")]

    def __str__(self) -> str:
        return f"Partshøring ({self.get_status_display()})"
