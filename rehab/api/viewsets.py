"""Rehabilitation over the API (../shared/API.md): forberedende dele with bilag, mødedage, bookinger,
indstillinger and partshøringer. Views only parse, call ``rehab.services`` and answer; reads go
through ``rehab.selectors`` (scoped to the caller: outside reach is 404). Refusals (a forløb that
cannot be presented, a stale version) are the services' exceptions, answered by the one exception
handler."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases.models import User
from cases.selectors import forloeb_for
from infra.api.etag import IF_MATCH, check_if_match, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import AuditedReadMixin, StrictQueryParamsMixin
from infra.api.pagination import CursorPagination
from infra.api.parsers import JsonParser
from rehab import selectors, services
from rehab.models import Booking, BookingStatus

from .filters import ForloebFilter, MoededagFilter
from .serializers import (
    AfholdtSerializer,
    BilagOpretSerializer,
    BilagSerializer,
    BookingOpretSerializer,
    BookingSerializer,
    FlytSerializer,
    ForberedendeDelListeSerializer,
    ForberedendeDelOpdaterSerializer,
    ForberedendeDelOpretSerializer,
    ForberedendeDelSerializer,
    IndstillingOpretSerializer,
    IndstillingSerializer,
    MoededagOpretSerializer,
    MoededagSerializer,
    PartshoeringOpretSerializer,
    PartshoeringSerializer,
    PartshoeringSvarSerializer,
    PartshoeringUndtagSerializer,
)

SCOPES = {"read": "forloeb:read", "write": "forloeb:write"}
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, description="Gentag sikkert")
UDEN_FOR_ADGANG = "Forløbet findes ikke eller er uden for din adgang."


def _parse(serializer_class, request, **kw) -> dict:
    body = serializer_class(data=request.data, **kw)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _forloeb(request, pk):
    """The forløb a request body names, if the caller may see it (else a field error: no leak)."""
    forloeb = forloeb_for(request.user).filter(pk=pk).first()
    if forloeb is None:
        raise serializers.ValidationError({"forloeb": [UDEN_FOR_ADGANG]})
    return forloeb


def _moededag(request, pk):
    moededag = selectors.moededage_for(request.user).filter(pk=pk).first()
    if moededag is None:
        raise serializers.ValidationError({"moededag": ["Mødedagen findes ikke."]})
    return moededag


class Pagination(CursorPagination):
    ordering = ("-oprettet", "-id")


class RehabViewSet(AuditedReadMixin, StrictQueryParamsMixin, viewsets.GenericViewSet):
    """A rehabilitation resource of a forløb: audited reads, filtered by ``forloeb``."""

    scopes = SCOPES
    pagination_class = Pagination
    filterset_class = ForloebFilter


# --- forberedende dele ----------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class ForberedendeDelViewSet(RehabViewSet):
    """Rehabiliteringsplanens forberedende del (beskrivende, skrevet sammen med borgeren) med bilag."""

    serializer_class = ForberedendeDelSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    laes_handling = "forberedende_del"
    etag = True

    def get_queryset(self):
        return selectors.forberedende_dele_for(self.request.user).prefetch_related("bilag")

    def get_serializer_class(self):
        return ForberedendeDelListeSerializer if self.action == "list" else ForberedendeDelSerializer

    def _svar(self, fd, status=200, **headers):
        fd = self.get_queryset().get(pk=fd.pk)
        data = ForberedendeDelSerializer(fd, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(fd), **headers})

    @extend_schema(
        request=ForberedendeDelOpretSerializer, responses={201: ForberedendeDelSerializer}, parameters=[IDEMPOTENCY]
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Start en forberedende del. En ny forelæggelse starter med teksten fra den forrige."""
        body = _parse(ForberedendeDelOpretSerializer, request)
        fd = services.forberedende_del_opret(actor=request.user, forloeb=_forloeb(request, body["forloeb"]))
        return self._svar(fd, status=201, Location=reverse("forberedende-del-detail", args=[fd.pk]))

    @extend_schema(
        request=ForberedendeDelOpdaterSerializer,
        responses=ForberedendeDelSerializer,
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        fd = self.get_object()
        version = check_if_match(request, fd)
        felter = _parse(ForberedendeDelOpdaterSerializer, request)
        fd = services.forberedende_del_opdater(
            actor=request.user, forberedende_del=fd, expected_version=version, **felter
        )
        return self._svar(fd)

    @extend_schema(request=BilagOpretSerializer, responses={201: BilagSerializer}, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"], parser_classes=[JsonParser, MultiPartParser])
    @idempotent
    def bilag(self, request, pk=None):
        """Tilføj et bilag (LÆ 265, anden lægelig dokumentation, leverandørrapport, andet). JSON med
        metadata, eller multipart/form-data med filen i `fil`."""
        fd = self.get_object()
        felter = _parse(BilagOpretSerializer, request)
        b = services.bilag_tilfoej(actor=request.user, forberedende_del=fd, **felter)
        return Response(BilagSerializer(b).data, status=201)


# --- mødedage -------------------------------------------------------------------------------------
def _optaget():
    """Places taken: a correlated count per day, so the page is read in index order (no GROUP BY)."""
    bookinger = (
        Booking.objects.filter(moededag=OuterRef("pk")).exclude(status=BookingStatus.AFLYST).order_by()
        .values("moededag").annotate(n=Count("id")).values("n")
    )  # fmt: skip
    return Coalesce(Subquery(bookinger), 0)


class MoededagPagination(CursorPagination):
    ordering = ("dato", "id")


@extend_schema(tags=["rehabilitering"])
class MoededagViewSet(
    StrictQueryParamsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rehabiliteringsteamets mødedage i kommunen med kapacitet og medlemmer. Oprettes af teamleder eller mødeleder."""

    serializer_class = MoededagSerializer
    filterset_class = MoededagFilter
    scopes = SCOPES
    pagination_class = MoededagPagination

    def get_queryset(self):
        return (
            selectors.moededage_for(self.request.user)
            .select_related("moedeleder")
            .prefetch_related("medlemmer")
            .annotate(optaget=_optaget())
        )

    @extend_schema(request=MoededagOpretSerializer, responses={201: MoededagSerializer}, parameters=[IDEMPOTENCY])
    @idempotent
    def create(self, request, *args, **kwargs):
        body = _parse(MoededagOpretSerializer, request)
        moedeleder = None
        if (leder_id := body.pop("moedeleder", None)) is not None:
            moedeleder = User.objects.filter(pk=leder_id, kommune_id=getattr(request.user, "kommune_id", None)).first()
            if moedeleder is None:
                raise serializers.ValidationError({"moedeleder": ["Medarbejderen findes ikke."]})
        medlemmer = [(m["navn"], m["omraade"]) for m in body.pop("medlemmer")]
        dag = services.moededag_opret(actor=request.user, moedeleder=moedeleder, medlemmer=medlemmer, **body)
        data = MoededagSerializer(self.get_queryset().get(pk=dag.pk)).data
        return Response(data, status=201, headers={"Location": reverse("moededag-detail", args=[dag.pk])})


# --- bookinger ------------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class BookingViewSet(RehabViewSet):
    """Et forløbs plads på en mødedag. At booke forelægger sagen for teamet (eller genforelægger den)."""

    serializer_class = BookingSerializer
    laes_handling = "booking"

    def get_queryset(self):
        return selectors.bookinger_for(self.request.user).prefetch_related("deltagere")

    def _svar(self, booking, status: int = 200) -> Response:
        headers = {"Location": reverse("booking-detail", args=[booking.pk])} if status == 201 else None
        return Response(BookingSerializer(booking).data, status=status, headers=headers)

    @extend_schema(
        request=BookingOpretSerializer,
        responses={201: BookingSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Book en plads og forelæg sagen for rehabiliteringsteamet (efter en indstilling: genforelæg, "
            "med kommunens begrundelse). 409 med alle `betingelser` når forløbet ikke kan forelægges; "
            "400 når mødedagen er fuldt booket. Et udkast til indkaldelsesbrev oprettes."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = _parse(BookingOpretSerializer, request)
        forloeb = _forloeb(request, body.pop("forloeb"))
        moededag = _moededag(request, body.pop("moededag"))
        b = services.moede_book(actor=request.user, forloeb=forloeb, moededag=moededag, **body)
        return self._svar(b, status=201)

    @extend_schema(
        request=FlytSerializer,
        responses={201: BookingSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Flyt et booket møde til en anden mødedag (fx fordi borgeren er syg). Den gamle booking aflyses og "
            "frigiver sin plads; den nye kræver samme varsel og en ledig plads (400 ellers). Forløbet får den nye "
            "mødedato, og et udkast til en ny indkaldelse oprettes. Svarer med den nye booking."
        ),
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def flyt(self, request, pk=None):
        b = self.get_object()
        body = _parse(FlytSerializer, request)
        moededag = _moededag(request, body.pop("moededag"))
        ny = services.moede_flyt(actor=request.user, booking=b, moededag=moededag, **body)
        return self._svar(self.get_queryset().get(pk=ny.pk), status=201)

    @extend_schema(request=AfholdtSerializer, responses=BookingSerializer, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    @idempotent
    def afholdt(self, request, pk=None):
        """Registrér mødet: deltagere (mødedagens medlemmer), om borgeren og en bisidder var til stede, referat."""
        b = self.get_object()
        body = _parse(AfholdtSerializer, request)
        b = services.moede_afholdt(actor=request.user, booking=b, **body)
        return self._svar(self.get_queryset().get(pk=b.pk))


# --- indstillinger --------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class IndstillingViewSet(RehabViewSet):
    """Rehabiliteringsteamets indstilling. En anbefaling, ikke en afgørelse: ingen klagevejledning, ingen klagefrist."""

    serializer_class = IndstillingSerializer
    laes_handling = "indstilling"

    def get_queryset(self):
        return selectors.indstillinger_for(self.request.user)

    @extend_schema(
        request=IndstillingOpretSerializer,
        responses={201: IndstillingSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Registrér indstillingen med det indhold, udfaldet kræver (400 med hvert manglende felt), "
            "eller udsættelsen (`udfald=udsaettelse`: forløbet går tilbage til forberedende plan)."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = _parse(IndstillingOpretSerializer, request)
        forloeb = _forloeb(request, body.pop("forloeb"))
        ind = services.indstilling_registrer(actor=request.user, forloeb=forloeb, **body)
        location = reverse("indstilling-detail", args=[ind.pk])
        return Response(IndstillingSerializer(ind).data, status=201, headers={"Location": location})


# --- partshøringer --------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class PartshoeringViewSet(RehabViewSet):
    """Partshøring: hvad afgørelsen vil bygge på, sendt til borgeren med svarfrist — eller en undtagelse."""

    serializer_class = PartshoeringSerializer
    laes_handling = "partshoering"

    def get_queryset(self):
        return selectors.partshoeringer_for(self.request.user)

    def _oprettet(self, ph) -> Response:
        location = reverse("partshoering-detail", args=[ph.pk])
        return Response(PartshoeringSerializer(ph).data, status=201, headers={"Location": location})

    @extend_schema(
        request=PartshoeringOpretSerializer,
        responses={201: PartshoeringSerializer},
        parameters=[IDEMPOTENCY],
        description=(
            "Opret partshøringen og et udkast til brevet (`brev`), der lister hvert punkt med dets kilde. "
            "Når brevet er udstedt og sendt, sættes `status=sendt` og `svarfrist`."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = _parse(PartshoeringOpretSerializer, request)
        forloeb = _forloeb(request, body.pop("forloeb"))
        grundlag = [{**g, "kilde_id": str(g["kilde_id"])} for g in body.pop("grundlag")]
        ph = services.partshoering_opret(actor=request.user, forloeb=forloeb, grundlag=grundlag, **body)
        return self._oprettet(ph)

    @extend_schema(request=PartshoeringSvarSerializer, responses=PartshoeringSerializer, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    @idempotent
    def svar(self, request, pk=None):
        """Registrér borgerens svar (skriftligt eller mundtligt)."""
        ph = self.get_object()
        body = _parse(PartshoeringSvarSerializer, request)
        ph = services.partshoering_svar(actor=request.user, partshoering=ph, **body)
        return Response(PartshoeringSerializer(ph).data)

    @extend_schema(
        request=PartshoeringUndtagSerializer, responses={201: PartshoeringSerializer}, parameters=[IDEMPOTENCY]
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def undtag(self, request):
        """Undlad partshøring efter forvaltningslovens § 19, stk. 2 (eller § 20), med en konkret begrundelse."""
        body = _parse(PartshoeringUndtagSerializer, request)
        forloeb = _forloeb(request, body.pop("forloeb"))
        ph = services.partshoering_undtag(actor=request.user, forloeb=forloeb, **body)
        return self._oprettet(ph)
