"""Decisions and letters (DOMAIN.md §5), their delivery, and complaints.

One model, ``Dokument``, holds both written decisions (afgørelser: begrundelse + klagevejledning)
and letters (no klagevejledning); its ``type`` decides which content rules apply
(``decisions/lint.py``). Lifecycle: kladde → udstedt (rendered once to PDF, SHA-256 stored,
immutable) → afsendt (delivery recorded; starts the klagefrist). A correction is a new document
that replaces the old one.
"""

import uuid

from django.db import models


class DokumentType(models.TextChoices):
    # Decisions
    RESSOURCEFORLOEB_BEVILLING = "ressourceforloeb_bevilling", "Bevilling af ressourceforløb"
    RESSOURCEFORLOEB_AFSLAG = "ressourceforloeb_afslag", "Afslag på ressourceforløb"
    FLEKSJOB_VISITATION = "fleksjob_visitation", "Visitation til fleksjob"
    FLEKSJOB_AFSLAG = "fleksjob_afslag", "Afslag på fleksjob"
    OVERGANG_PENSION = "overgang_pension", "Overgang til behandling efter pensionsreglerne"
    FOERTIDSPENSION_TILKENDELSE = "foertidspension_tilkendelse", "Tilkendelse af førtidspension"
    FOERTIDSPENSION_AFSLAG = "foertidspension_afslag", "Afslag på førtidspension"
    ANDEN_INDSATS = "anden_indsats", "Afgørelse om anden indsats"
    ARBEJDSEVNEVURDERING_FLEKSJOB = "arbejdsevnevurdering_fleksjob", "Arbejdsevnevurdering i fleksjob"
    FLEKSJOB_STATUS = "fleksjob_status", "Statusafgørelse i midlertidigt fleksjob (4½ år)"
    # Letters
    PARTSHOERING = "partshoering", "Partshøring"
    INDKALDELSE_REHABILITERINGSMOEDE = "indkaldelse_rehabiliteringsmoede", "Indkaldelse til rehabiliteringsmøde"
    TILBUD_OM_MOEDE = "tilbud_om_moede", "Tilbud om møde før afgørelse"
    REDEGOERELSE = "redegoerelse_forlaenget_sagsbehandling", "Redegørelse for forlænget sagsbehandling"
    GENVURDERING_RESULTAT = "genvurdering_resultat", "Resultat af genvurdering"


AFGOERELSESTYPER = frozenset(
    {
        DokumentType.RESSOURCEFORLOEB_BEVILLING,
        DokumentType.RESSOURCEFORLOEB_AFSLAG,
        DokumentType.FLEKSJOB_VISITATION,
        DokumentType.FLEKSJOB_AFSLAG,
        DokumentType.OVERGANG_PENSION,
        DokumentType.FOERTIDSPENSION_TILKENDELSE,
        DokumentType.FOERTIDSPENSION_AFSLAG,
        DokumentType.ANDEN_INDSATS,
        DokumentType.ARBEJDSEVNEVURDERING_FLEKSJOB,
        DokumentType.FLEKSJOB_STATUS,
    }
)


class DokumentStatus(models.TextChoices):
    KLADDE = "kladde", "Kladde"
    UDSTEDT = "udstedt", "Udstedt"
    AFSENDT = "afsendt", "Afsendt"


class Kanal(models.TextChoices):
    DIGITAL_POST = "digital_post", "Digital Post"
    FYSISK_POST = "fysisk_post", "Fysisk post"
    UDLEVERET = "udleveret", "Udleveret personligt"


#: A send without a channel is refused: no channel is ever assumed (issue 15).
VAELG_KANAL = "Vælg hvordan dokumentet sendes til borgeren."


class Dokument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="dokumenter")
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=50, choices=DokumentType.choices)
    status = models.CharField(max_length=10, choices=DokumentStatus.choices, default=DokumentStatus.KLADDE)
    sagsnummer = models.CharField(max_length=40, editable=False)
    titel = models.CharField(max_length=200)
    tekst = models.TextField("afgørelsen / brevets tekst", blank=True)
    # Begrundelse (forvaltningsloven §§ 22-24)
    lovhenvisninger = models.ManyToManyField("cases.Lovhenvisning", blank=True, related_name="+")
    hovedhensyn = models.TextField("hovedhensyn", blank=True)
    fuldt_medhold = models.BooleanField(
        "borgeren får fuldt ud det, der er søgt om",
        default=False,
        help_text="Kun da kan begrundelsen udelades (klagevejledning gives stadig)",
    )
    # Type-specific content
    arbejdsfunktioner = models.JSONField(default=list, blank=True, help_text="Konkrete arbejdsfunktioner (afslag FØP)")
    sundhedsfaglig_raadgivning = models.CharField(max_length=30, blank=True)
    under_40_begrundelse = models.TextField(blank=True)
    fleksjob_afslag = models.BooleanField("afgørelsen giver udtrykkeligt afslag på fleksjob", default=False)
    fleksjob_afslag_begrundelse = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="Letter-specific fields (meeting time, new date, ...)")
    # Frozen at issue
    klagevejledning = models.TextField(blank=True, editable=False)
    udstedt = models.DateTimeField(null=True, blank=True, editable=False)
    udstedt_af = models.CharField(max_length=200, blank=True, editable=False)
    pdf = models.FileField(upload_to="dokumenter/%Y/%m/", blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    regelgrundlag = models.JSONField(default=dict, blank=True, editable=False)
    erstatter = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="erstattet_af"
    )
    sagsbehandler = models.ForeignKey("cases.User", on_delete=models.PROTECT, null=True, related_name="+")
    # A send ordered while the PDF was being rendered (decisions/bestilling.py): the rendering task
    # sends it once the PDF is stored. Empty channel: nothing ordered (or the order is done).
    afsendelse_kanal = models.CharField(max_length=20, choices=Kanal.choices, blank=True, editable=False)
    afsendelse_bestilt_af = models.ForeignKey(
        "cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    afsendelse_fejl = models.TextField(
        blank=True, editable=False, help_text="Why an ordered send was refused when the PDF was ready"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    opdateret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        ordering = ["-oprettet"]
        indexes = [
            models.Index(fields=["forloeb", "type", "status"], name="dokument_forloeb_type_idx"),
            models.Index(fields=["oprettet", "id"], name="dokument_liste_idx"),
            # the afgørelser list filtered by type or status, in its order: without them a page of a rare
            # type walked the newest documents of every type first (1M forløb: 18,873 rows, 12.7 ms)
            models.Index(fields=["type", "oprettet", "id"], name="dokument_type_liste_idx"),
            models.Index(fields=["status", "oprettet", "id"], name="dokument_status_liste_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.get_status_display()})"

    @property
    def er_afgoerelse(self) -> bool:
        return self.type in AFGOERELSESTYPER

    @property
    def gaeldende_forsendelse(self):
        """The delivery that counts: the latest that has not failed (a failed Digital Post letter is
        replaced by a physical one). Reads the prefetched ``forsendelser`` when there are any."""
        gyldige = [f for f in self.forsendelser.all() if f.status != "fejlet"]
        return max(gyldige, key=lambda f: f.afsendt) if gyldige else None


class Faktum(models.Model):
    """A fact given weight in the begrundelse, linked to the case document it comes from."""

    id = models.BigAutoField(primary_key=True)
    dokument = models.ForeignKey(Dokument, on_delete=models.CASCADE, related_name="fakta")
    tekst = models.TextField()
    kilde_type = models.CharField(max_length=30, help_text="bilag | dokument | journalnotat | indstilling")
    kilde_id = models.UUIDField()
    kilde_titel = models.CharField(max_length=200)
    raekkefoelge = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["raekkefoelge", "id"]
        indexes = [models.Index(fields=["dokument", "raekkefoelge", "id"], name="decisions_faktum_dok_orden")]

    def __str__(self) -> str:
        return self.tekst[:60]


class SvarValg(models.TextChoices):
    JA = "ja", "Ja"
    NEJ = "nej", "Nej"
    IKKE_RELEVANT = "ikke_relevant", "Ikke relevant"


class Spoergsmaalssvar(models.Model):
    """The caseworker's answer to a prompt of the document's type (``decisions.spoergsmaal``): what
    good practice recommends the decision takes a position on (yes/no/not relevant, always with a
    reason). The lint, the editor, the API and the PDF all read these rows."""

    id = models.BigAutoField(primary_key=True)
    dokument = models.ForeignKey(Dokument, on_delete=models.CASCADE, related_name="svar")
    kode = models.CharField(max_length=60)
    svar = models.CharField(max_length=20, choices=SvarValg.choices)
    begrundelse = models.TextField()
    besvaret_af = models.CharField(max_length=200)
    besvaret = models.DateTimeField()

    class Meta:
        verbose_name = "svar på spørgsmål"
        verbose_name_plural = "svar på spørgsmål"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dokument", "kode"], name="svar_et_pr_spoergsmaal")]

    def __str__(self) -> str:
        return f"{self.kode}: {self.get_svar_display()}"


class ForsendelseStatus(models.TextChoices):
    BESTILT = "bestilt", "Bestilt – sendes til Digital Post"
    AFSENDT = "afsendt", "Afsendt"
    LEVERET = "leveret", "Leveret"
    FEJLET = "fejlet", "Ikke leveret – sendt med fysisk post"


class Forsendelse(models.Model):
    """A delivery of an issued document; its receipt date starts the klagefrist.

    Digital Post (decisions/forsendelse.py): ordered in the sending transaction (``bestilt``), handed
    to Digital Post by a Celery task after commit (``afsendt``), then its receipt decides: ``leveret``
    (the klagefrist runs from the delivery day) or ``fejlet`` (a physical letter replaces it, pointing
    back through ``erstatter``, and the klagefrist runs from that letter's receipt). One delivery per
    document that has not failed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dokument = models.ForeignKey(Dokument, on_delete=models.PROTECT, related_name="forsendelser")
    kanal = models.CharField(max_length=20, choices=Kanal.choices)
    status = models.CharField(max_length=10, choices=ForsendelseStatus.choices, default=ForsendelseStatus.AFSENDT)
    afsendt = models.DateTimeField()
    afsendt_dato = models.DateField()
    modtaget_dato = models.DateField(help_text="When the citizen is deemed to have received it")
    reference = models.CharField(max_length=200, blank=True, help_text="Adapter's receipt (e.g. outbox file)")
    afsendt_af = models.CharField(max_length=200)
    beskyttet = models.BooleanField(
        default=False, help_text="Name and address protection: the protected channel, no address printed"
    )
    memo_uuid = models.UUIDField(null=True, blank=True, editable=False, help_text="MeMo messageUUID (Digital Post)")
    forsoeg = models.PositiveSmallIntegerField(default=0, help_text="Attempts to hand it to Digital Post")
    fejl = models.CharField(max_length=300, blank=True, help_text="Why the last attempt or the delivery failed")
    erstatter = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="erstattet_af",
        help_text="The failed Digital Post delivery this physical letter replaces",
    )  # fmt: skip

    class Meta:
        verbose_name = "forsendelse"
        verbose_name_plural = "forsendelser"
        ordering = ["afsendt"]
        constraints = [
            models.UniqueConstraint(
                fields=["dokument"], condition=~models.Q(status="fejlet"), name="forsendelse_en_pr_dokument"
            )
        ]
        indexes = [
            models.Index(
                fields=["status"], condition=models.Q(status__in=["bestilt", "afsendt"]), name="forsendelse_aaben_idx"
            ),
            # a document's deliveries in their order (the afgørelser list's sub-select, EXPLAIN-tested)
            models.Index(fields=["dokument", "afsendt", "id"], name="forsendelse_dok_orden"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kanal_display()} {self.afsendt_dato:%d.%m.%Y}"


class KvitteringStatus(models.TextChoices):
    LEVERET = "leveret", "Leveret"
    FEJLET = "fejlet", "Ikke leveret"


class Kvittering(models.Model):
    """A delivery receipt from Digital Post for one letter (delivered / failed), as received."""

    id = models.BigAutoField(primary_key=True)
    forsendelse = models.ForeignKey(Forsendelse, on_delete=models.CASCADE, related_name="kvitteringer")
    status = models.CharField(max_length=10, choices=KvitteringStatus.choices)
    tidspunkt = models.DateTimeField(help_text="When Digital Post delivered it (or gave up)")
    aarsag = models.CharField(max_length=300, blank=True)
    modtaget = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kvittering"
        verbose_name_plural = "kvitteringer"
        ordering = ["tidspunkt", "id"]
        indexes = [models.Index(fields=["forsendelse", "tidspunkt", "id"], name="kvittering_forsendelse_orden")]

    def __str__(self) -> str:
        return self.get_status_display()


class KlageKanal(models.TextChoices):
    BREV = "brev", "Brev"
    EMAIL = "email", "E-mail"
    TELEFON = "telefon", "Telefon"
    DIGITAL_POST = "digital_post", "Digital Post"
    PERSONLIGT = "personligt", "Personligt fremmøde"


class KlageStatus(models.TextChoices):
    MODTAGET = "modtaget", "Modtaget – genvurderes"
    MEDHOLD = "medhold", "Medhold (ny afgørelse)"
    FASTHOLDT = "fastholdt", "Fastholdt"
    SENDT_TIL_ANKESTYRELSEN = "sendt_til_ankestyrelsen", "Sendt til Ankestyrelsen"
    AFGJORT = "afgjort", "Afgjort af Ankestyrelsen"


class AnkeResultat(models.TextChoices):
    STADFAESTET = "stadfaestet", "Stadfæstet"
    AENDRET = "aendret", "Ændret"
    HJEMVIST = "hjemvist", "Hjemvist"
    AFVIST = "afvist", "Afvist"


class Klage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    afgoerelse = models.ForeignKey(Dokument, on_delete=models.PROTECT, related_name="klager")
    forloeb = models.ForeignKey("cases.Forloeb", on_delete=models.PROTECT, related_name="klager")
    modtaget_dato = models.DateField()
    kanal = models.CharField(max_length=20, choices=KlageKanal.choices)
    for_sent = models.BooleanField(default=False, help_text="Received after the klagefrist (flagged, not refused)")
    klagens_indhold = models.TextField(blank=True)
    status = models.CharField(max_length=30, choices=KlageStatus.choices, default=KlageStatus.MODTAGET)
    genvurderet_dato = models.DateField(null=True, blank=True)
    genvurdering_begrundelse = models.TextField(blank=True)
    ny_afgoerelse = models.ForeignKey(Dokument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sendt_til_ankestyrelsen = models.DateField(null=True, blank=True)
    ankepakke = models.FileField(upload_to="ankepakker/%Y/%m/", blank=True)
    ankepakke_sha256 = models.CharField(max_length=64, blank=True)
    ankestyrelsens_resultat = models.CharField(max_length=20, choices=AnkeResultat.choices, blank=True)
    resultat_dato = models.DateField(null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "klage"
        verbose_name_plural = "klager"
        ordering = ["-modtaget_dato"]
        indexes = [
            models.Index(fields=["oprettet", "id"], name="klage_liste_idx"),
            models.Index(fields=["status", "oprettet", "id"], name="klage_status_liste_idx"),  # ?status=, in order
        ]

    def __str__(self) -> str:
        return f"Klage over {self.afgoerelse} ({self.get_status_display()})"


class Afsnit(models.TextChoices):
    """The part of a decision a standard phrase belongs in (a field of ``Dokument``)."""

    TEKST = "tekst", "Afgørelsens tekst"
    HOVEDHENSYN = "hovedhensyn", "Begrundelse: hovedhensyn i skønnet"
    FLEKSJOB_AFSLAG_BEGRUNDELSE = "fleksjob_afslag_begrundelse", "Begrundelse for afslag på fleksjob"
    UNDER_40_BEGRUNDELSE = "under_40_begrundelse", "Begrundelse for førtidspension under 40 år"


class Standardtekst(models.Model):
    """A standard phrase of a municipality for one document type and section, maintained by its
    jurist (``decisions.standardtekster``); the editor offers the active ones of the draft's type
    and appends the chosen one to its section. Every change is audited."""

    id = models.BigAutoField(primary_key=True)
    kommune = models.ForeignKey("cases.Kommune", on_delete=models.PROTECT, related_name="+")
    dokument_type = models.CharField("dokumenttype", max_length=50, choices=DokumentType.choices)
    afsnit = models.CharField("afsnit", max_length=40, choices=Afsnit.choices)
    titel = models.CharField("titel", max_length=200)
    tekst = models.TextField("tekst")
    aktiv = models.BooleanField("aktiv", default=True, help_text="Kun aktive standardtekster tilbydes i editoren")
    aendret_af = models.CharField("ændret af", max_length=200, editable=False)
    aendret = models.DateTimeField("ændret", editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "standardtekst"
        verbose_name_plural = "standardtekster"
        ordering = ["dokument_type", "afsnit", "titel"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "dokument_type", "titel"], name="standardtekst_titel_unik")
        ]

    def __str__(self) -> str:
        return f"{self.get_dokument_type_display()}: {self.titel}"
