"""Decisions, letters and complaints over the API (../shared/API.md).

``/api/v1/afgoerelser/``: create a draft (POST), change it (PATCH with ``If-Match``),
``GET .../lint/``, ``POST .../udsted/``, ``POST .../afsend/``, ``GET .../pdf/``. Issuing answers
**202 Accepted** while the PDF is rendered by a Celery task after commit (``pdf_status: "dannes"``,
``Location`` = the resource to poll) and 200 once it is ready (``pdf_status: "klar"``, ``pdf_sha256``
set). Issuing again returns the issued document (no second effect).

``/api/v1/klager/``: register, genvurder, send to Ankestyrelsen, record Ankestyrelsen's result, fetch
the appeal package. Each step is an explicit POST action calling one service in
:mod:`decisions.klager`; a step out of order answers 409 ``klage-forkert-status`` and changes nothing.
A complaint or decision outside the caller's reach answers 404.

Refusals are the services' exceptions (``infra.fejl.DomaeneFejl``), answered by the one exception
handler.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.selectors import forloeb_for
from decisions import kassering, klager, lint, services
from decisions.models import DokumentStatus
from decisions.selectors import dokumenter_for, udstedt_pdf
from infra import audit
from infra.api.etag import IF_MATCH, check_if_match, etag_for
from infra.api.idempotency import IDEMPOTENCY_KEY, idempotent
from infra.api.mixins import AuditedReadMixin, StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.fejl import FindesIkke

from .filters import DokumentFilter, KlageFilter
from .lister import dokument_liste, dokument_raekker, klage_liste, klage_raekker
from .serializers import (
    AfsendSerializer,
    AnkeResultatSerializer,
    DokumentOpretSerializer,
    DokumentSerializer,
    DokumentSkrivSerializer,
    GenvurderSerializer,
    KlageOpretSerializer,
    KlageSerializer,
    LintSvarSerializer,
)


class PdfRenderer(renderers.BaseRenderer):
    """Lets ``Accept: application/pdf`` through content negotiation; errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


# --- afgørelser og breve --------------------------------------------------------------------------
class DokumentPagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["afgoerelser"])
class AfgoerelseViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Afgørelser og breve i forløb, kalderen har adgang til. Et udstedt dokument ændres aldrig;
    en rettelse er et nyt dokument med `erstatter`."""

    serializer_class = DokumentSerializer
    filterset_class = DokumentFilter
    direkte_filtre = True  # the FilterSet applied without its form (infra.api.filters.anvend)
    scopes = {"read": "afgoerelser:read", "write": "forloeb:write"}
    pagination_class = DokumentPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    laes_handling = "dokument"
    etag = True

    def get_queryset(self):
        return (
            dokumenter_for(self.request.user)
            .select_related("erstattet_af")
            .prefetch_related("fakta", "lovhenvisninger", "forsendelser__kvitteringer", "svar")
        )

    def liste_raekker(self, queryset):
        return dokument_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return dokument_liste(raekker)  # DokumentSerializer's answer, built by hand for the page

    def _svar(self, dokument, status: int = 200, **headers) -> Response:
        dokument = self.get_queryset().get(pk=dokument.pk)
        data = DokumentSerializer(dokument, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(dokument), **headers})

    @extend_schema(
        request=DokumentOpretSerializer,
        responses={201: DokumentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="Opret en kladde. `fakta[].kilde_id` skal pege på et dokument i samme forløb.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = DokumentOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        forloeb = forloeb_for(request.user).filter(pk=data.pop("forloeb")).first()
        if forloeb is None:
            raise serializers.ValidationError({"forloeb": ["Forløbet findes ikke eller er uden for din adgang."]})
        erstatter = None
        if erstatter_id := data.pop("erstatter", None):
            erstatter = dokumenter_for(request.user).filter(pk=erstatter_id).first()
            if erstatter is None:
                raise serializers.ValidationError({"erstatter": ["Dokumentet findes ikke."]})
        dokument = services.dokument_opret(actor=request.user, forloeb=forloeb, erstatter=erstatter, **data)
        return self._svar(dokument, status=201, Location=reverse("afgoerelse-detail", args=[dokument.pk]))

    @extend_schema(
        request=DokumentSkrivSerializer,
        responses={200: DokumentSerializer},
        parameters=[IF_MATCH],
        description="Ret en kladde. 409 `ikke-kladde` når dokumentet er udstedt; 412 ved forældet If-Match.",
    )
    def partial_update(self, request, *args, **kwargs):
        dokument = self.get_object()
        services.sikr_kladde(dokument)  # an issued document answers 409 whatever the If-Match and body
        version = check_if_match(request, dokument)
        body = DokumentSkrivSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        dokument = services.dokument_opdater(
            actor=request.user, dokument=dokument, expected_version=version, **body.validated_data
        )
        return self._svar(dokument)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[IF_MATCH],
        description=(
            "Kassér en kladde, der ikke skal udstedes (fx en opgivet rettelse, som ellers spærrer for en ny "
            "rettelse). 409 `ikke-kladde` når dokumentet er udstedt; 409 `kan-ikke-kasseres` når kladden hører "
            "til sit eget forløb (partshøring, indkaldelse, genvurdering); 412 ved forældet If-Match."
        ),
    )
    def destroy(self, request, *args, **kwargs):
        dokument = self.get_object()
        services.sikr_kladde(dokument)
        version = check_if_match(request, dokument)
        kassering.dokument_kasser(actor=request.user, dokument=dokument, expected_version=version)
        return Response(status=204)

    @extend_schema(
        responses={200: LintSvarSerializer},
        description="Alt det, dokumentet mangler for at kunne udstedes (alle mangler på én gang).",
    )
    @action(detail=True, methods=["get"])
    def lint(self, request, pk=None):
        dokument = self.get_object()
        mangler = [] if dokument.status != DokumentStatus.KLADDE else lint.lint(dokument, actor=request.user)
        return Response(
            {
                "status": dokument.status,
                "kan_udstedes": dokument.status == DokumentStatus.KLADDE and not mangler,
                "mangler": [m.as_dict() for m in mangler],
            }
        )

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(DokumentSerializer, description="Udstedt; PDF'en dannes (`pdf_status: dannes`)"),
            200: OpenApiResponse(DokumentSerializer, description="Udstedt, og PDF'en er klar"),
        },
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        description=(
            "Udsted dokumentet: 409 `afgoerelse-mangler` med `mangler` (alle) hvis noget mangler; 412 ved "
            "forældet If-Match (kun mens det er kladde). Gentaget udstedelse returnerer det udstedte dokument."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def udsted(self, request, pk=None):
        dokument = self.get_object()
        version = check_if_match(request, dokument) if dokument.status == DokumentStatus.KLADDE else None
        dokument = services.dokument_udsted(actor=request.user, dokument=dokument, expected_version=version)
        dokument.refresh_from_db()
        if dokument.pdf_sha256:
            return self._svar(dokument)
        return self._svar(dokument, status=202, Location=reverse("afgoerelse-detail", args=[dokument.pk]))

    @extend_schema(
        request=AfsendSerializer,
        responses={200: DokumentSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Send det udstedte dokument. 409 med en dansk forklaring: `pdf-ikke-klar` (prøv igen, se "
            "Retry-After), `ingen-digital-post`, `ingen-adresse`, `ikke-udstedt`. Intet sendes ved afvisning. "
            "Gentaget afsendelse returnerer den første forsendelse."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def afsend(self, request, pk=None):
        dokument = self.get_object()
        body = AfsendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.dokument_afsend(actor=request.user, dokument=dokument, kanal=body.validated_data["kanal"])
        return self._svar(dokument)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description=(
            "Den udstedte PDF præcis som sendt. `ETag` og `X-SHA256` er `pdf_sha256`. "
            "409 `pdf-ikke-klar` mens den dannes."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        dokument = self.get_object()
        data = udstedt_pdf(dokument)
        audit.record_read(
            actor=request.user, handling="dokument.pdf_hent", borgere=[dokument.forloeb.borger_id], subject=dokument
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{dokument.type}-{dokument.pk}.pdf"'
        response["ETag"] = f'"{dokument.pdf_sha256}"'
        response["X-SHA256"] = dokument.pdf_sha256
        response["Cache-Control"] = "no-store"
        response["Content-Length"] = str(len(data))
        return response


# --- klager ---------------------------------------------------------------------------------------
class KlagePagination(CursorPagination):
    ordering = ("-oprettet", "-id")


@extend_schema(tags=["klager"])
class KlageViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """Klager over afgørelser: modtaget → genvurdering (medhold eller fastholdt) → Ankestyrelsen → afgjort."""

    serializer_class = KlageSerializer
    filterset_class = KlageFilter
    direkte_filtre = True
    scopes = {"read": "forloeb:read", "write": "forloeb:write"}
    # The appeal package holds the decisions' PDFs: it needs what /afgoerelser/{id}/pdf/ needs too.
    action_scopes = {"ankepakke": ("forloeb:read", "afgoerelser:read")}
    pagination_class = KlagePagination
    laes_handling = "klage"

    def get_queryset(self):
        return klager.med_genvurdering_brev(klager.klager_for(self.request.user))

    def liste_raekker(self, queryset):
        return klage_raekker(queryset)

    def liste_data(self, raekker) -> list:
        return klage_liste(raekker)  # KlageSerializer's answer, built by hand for the page

    def _svar(self, klage, status: int = 200, **headers) -> Response:
        klage = klager.klager_for(self.request.user).get(pk=klage.pk)
        return Response(KlageSerializer(klage).data, status=status, headers=headers)

    def _afgoerelse(self, pk):
        """A document within the caller's reach, or None."""
        return klager.afgoerelser_for(self.request.user).select_related("forloeb").filter(pk=pk).first()

    @extend_schema(
        request=KlageOpretSerializer,
        responses={201: KlageSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Registrér en klage over en udstedt afgørelse. Lukker afgørelsens klagefrist og starter "
            "genvurderingsfristen (4 uger). En klage modtaget efter klagefristen markeres `for_sent` men "
            "afvises ikke. 404 hvis afgørelsen ikke findes eller er uden for din adgang; 409 hvis dokumentet "
            "er et brev, ikke er udstedt, er erstattet, eller der allerede verserer en klage over det."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = KlageOpretSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        afgoerelse = self._afgoerelse(v["afgoerelse"])
        if afgoerelse is None:
            raise FindesIkke("Afgørelsen findes ikke, eller du har ikke adgang til den.")
        klage = klager.klage_modtag(
            actor=request.user,
            afgoerelse=afgoerelse,
            modtaget_dato=v["modtaget_dato"],
            kanal=v["kanal"],
            indhold=v["indhold"],
        )
        return self._svar(klage, status=201, Location=reverse("klage-detail", args=[klage.pk]))

    @extend_schema(
        request=GenvurderSerializer,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Registrér kommunens genvurdering. `medhold` kræver `ny_afgoerelse`: en udstedt afgørelse oprettet "
            "som erstatning for den påklagede; `fastholdt` skal følges af `send-til-ankestyrelsen`. Et brev til "
            "borgeren om resultatet oprettes som kladde (`genvurdering_brev`)."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def genvurder(self, request, pk=None):
        klage = self.get_object()
        body = GenvurderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        ny = None
        if v.get("ny_afgoerelse"):
            ny = self._afgoerelse(v["ny_afgoerelse"])
            if ny is None:
                raise serializers.ValidationError(
                    {"ny_afgoerelse": ["Afgørelsen findes ikke, eller du har ikke adgang til den."]}
                )
        klager.klage_genvurder(
            actor=request.user, klage=klage, resultat=v["resultat"], begrundelse=v["begrundelse"], ny_afgoerelse=ny
        )
        return self._svar(klage)

    @extend_schema(
        request=None,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Send en fastholdt klage til Ankestyrelsen: danner ankepakken (ZIP med indeks og sagens akter i "
            "rækkefølge) og lukker genvurderingsfristen."
        ),
    )
    @action(detail=True, methods=["post"], url_path="send-til-ankestyrelsen")
    @idempotent
    def send_til_ankestyrelsen(self, request, pk=None):
        klage = self.get_object()
        klager.klage_send_til_ankestyrelsen(actor=request.user, klage=klage)
        return self._svar(klage)

    @extend_schema(
        request=AnkeResultatSerializer,
        responses={200: KlageSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description=(
            "Registrér Ankestyrelsens afgørelse; klagen bliver `afgjort`. Ved `hjemvist` (ny afgørelse) og "
            "`aendret` (effektuér Ankestyrelsens afgørelse) oprettes et journalnotat, hvis næste skridt bliver "
            "forløbets næste skridt."
        ),
    )
    @action(detail=True, methods=["post"], url_path="ankestyrelsens-resultat")
    @idempotent
    def ankestyrelsens_resultat(self, request, pk=None):
        klage = self.get_object()
        body = AnkeResultatSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        klager.klage_ankestyrelsens_resultat(
            actor=request.user,
            klage=klage,
            resultat=body.validated_data["resultat"],
            dato=body.validated_data["dato"],
        )
        return self._svar(klage)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="Ankepakken (ZIP)"),
            404: OpenApiResponse(description="Klagen findes ikke, eller ankepakken er ikke dannet endnu"),
        },
        description="Hent ankepakken præcis som sendt (SHA-256 i `ankepakke_sha256`). Hentningen logges.",
    )
    @action(detail=True, methods=["get"])
    def ankepakke(self, request, pk=None):
        klage = self.get_object()
        data = klager.ankepakke_indhold(klage)
        audit.record_read(
            actor=request.user, handling="klage.ankepakke_hent", borgere=[klage.forloeb.borger_id], subject=klage
        )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="ankepakke-{klage.pk}.zip"'
        response["Cache-Control"] = "no-store"
        response["X-SHA256"] = klage.ankepakke_sha256
        return response
