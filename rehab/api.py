"""Rehabilitation over the API (../shared/API.md): forberedende dele with bilag, mødedage, bookinger,
indstillinger and partshøringer. Views only parse, call ``rehab.services`` and answer; reads go
through ``rehab.selectors`` (scoped to the caller: outside reach is 404)."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cases import services as cases_services
from cases.models import User
from cases.selectors import forloeb_for
from infra import audit
from infra.api.etag import check_if_match, etag_for
from infra.api.idempotency import idempotent
from infra.api.mixins import StrictQueryParamsMixin, is_uuid
from infra.api.pagination import CursorPagination
from infra.api.problems import Problem

from . import selectors, services
from .models import BookingStatus
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
FORLOEB_FILTER = OpenApiParameter("forloeb", OpenApiTypes.UUID)
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


def _uuid_param(request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value and not is_uuid(value):
        raise serializers.ValidationError({name: ["Skal være et UUID."]})
    return value or None


def _date_param(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: ["Angiv en dato som ÅÅÅÅ-MM-DD."]}) from None


@contextlib.contextmanager
def forloeb_afvisninger():
    """The forløb's refusals as the forløb API answers them: 409 with every unmet condition."""
    try:
        yield
    except cases_services.ForkertTilstand as exc:
        raise Problem(409, "forkert-tilstand", str(exc), title="Overgangen passer ikke til tilstanden") from None
    except cases_services.ForaeldetVersion as exc:
        raise Problem(412, "foraeldet", str(exc)) from None
    except cases_services.OvergangAfvist as exc:
        raise Problem(
            409, "betingelser-ikke-opfyldt", str(exc), title="Betingelser ikke opfyldt",
            betingelser=[m.as_dict() for m in exc.uopfyldte],
        ) from None  # fmt: skip


class Pagination(CursorPagination):
    ordering = ("-oprettet", "id")


class RehabViewSet(StrictQueryParamsMixin, viewsets.GenericViewSet):
    scopes = SCOPES
    pagination_class = Pagination
    laes_handling = ""

    def _liste(self, qs, serializer_class):
        page = self.paginate_queryset(qs)
        audit.record_read(actor=self.request.user, handling=f"{self.laes_handling}.liste", borgere={
            o.forloeb.borger_id for o in page
        })  # fmt: skip
        return self.get_paginated_response(
            serializer_class(page, many=True, context=self.get_serializer_context()).data
        )

    def _laes(self, obj):
        audit.record_read(
            actor=self.request.user, handling=f"{self.laes_handling}.laes", borgere=[obj.forloeb.borger_id], subject=obj
        )


# --- forberedende dele ----------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class ForberedendeDelViewSet(RehabViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rehabiliteringsplanens forberedende del (beskrivende, skrevet sammen med borgeren) med bilag."""

    serializer_class = ForberedendeDelSerializer
    allowed_query_params = {"forloeb"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    laes_handling = "forberedende_del"

    def get_queryset(self):
        qs = selectors.forberedende_dele_for(self.request.user).prefetch_related("bilag")
        if self.action == "list" and (forloeb := _uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=forloeb)
        return qs

    def _svar(self, fd, status=200):
        fd = self.get_queryset().get(pk=fd.pk)
        data = ForberedendeDelSerializer(fd, context=self.get_serializer_context()).data
        return Response(data, status=status, headers={"ETag": etag_for(fd)})

    @extend_schema(parameters=[FORLOEB_FILTER], responses=ForberedendeDelListeSerializer(many=True))
    def list(self, request, *args, **kwargs):
        return self._liste(self.get_queryset(), ForberedendeDelListeSerializer)

    def retrieve(self, request, *args, **kwargs):
        fd = self.get_object()
        self._laes(fd)
        return self._svar(fd)

    @extend_schema(
        request=ForberedendeDelOpretSerializer, responses={201: ForberedendeDelSerializer}, parameters=[IDEMPOTENCY]
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Start en forberedende del. En ny forelæggelse starter med teksten fra den forrige."""
        body = _parse(ForberedendeDelOpretSerializer, request)
        fd = services.forberedende_del_opret(actor=request.user, forloeb=_forloeb(request, body["forloeb"]))
        response = self._svar(fd, status=201)
        response["Location"] = f"/api/v1/forberedende-dele/{fd.pk}/"
        return response

    @extend_schema(
        request=ForberedendeDelOpdaterSerializer,
        responses=ForberedendeDelSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description="ETag; 412 hvis forældet")],
    )
    def partial_update(self, request, *args, **kwargs):
        fd = self.get_object()
        version = check_if_match(request, fd)
        felter = _parse(ForberedendeDelOpdaterSerializer, request)
        try:
            fd = services.forberedende_del_opdater(
                actor=request.user, forberedende_del=fd, expected_version=version, **felter
            )
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                raise Problem(412, "foraeldet", exc.messages[0]) from None
            raise
        return self._svar(fd)

    @extend_schema(request=BilagOpretSerializer, responses={201: BilagSerializer}, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    @idempotent
    def bilag(self, request, pk=None):
        """Tilføj et bilag (LÆ 265, anden lægelig dokumentation, leverandørrapport, andet). JSON med
        metadata, eller multipart/form-data med filen i `fil`."""
        fd = self.get_object()
        felter = _parse(BilagOpretSerializer, request)
        b = services.bilag_tilfoej(actor=request.user, forberedende_del=fd, **felter)
        return Response(BilagSerializer(b).data, status=201)


# --- mødedage -------------------------------------------------------------------------------------
class MoededagPagination(CursorPagination):
    ordering = ("dato", "id")


@extend_schema(tags=["rehabilitering"])
class MoededagViewSet(RehabViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rehabiliteringsteamets mødedage i kommunen med kapacitet og medlemmer. Oprettes af teamleder eller mødeleder."""

    serializer_class = MoededagSerializer
    allowed_query_params = {"fra", "til"}
    pagination_class = MoededagPagination

    def get_queryset(self):
        qs = (
            selectors.moededage_for(self.request.user)
            .select_related("moedeleder")
            .prefetch_related("medlemmer")
            .annotate(optaget=Count("bookinger", filter=~Q(bookinger__status=BookingStatus.AFLYST)))
        )
        if self.action == "list":
            if fra := _date_param(self.request, "fra"):
                qs = qs.filter(dato__gte=fra)
            if til := _date_param(self.request, "til"):
                qs = qs.filter(dato__lte=til)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("fra", OpenApiTypes.DATE, description="Mødedage på eller efter"),
            OpenApiParameter("til", OpenApiTypes.DATE, description="Mødedage på eller før"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

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
        return Response(data, status=201, headers={"Location": f"/api/v1/moededage/{dag.pk}/"})


# --- bookinger ------------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class BookingViewSet(RehabViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Et forløbs plads på en mødedag. At booke forelægger sagen for teamet (eller genforelægger den)."""

    serializer_class = BookingSerializer
    allowed_query_params = {"forloeb"}
    laes_handling = "booking"

    def get_queryset(self):
        qs = selectors.bookinger_for(self.request.user).prefetch_related("deltagere")
        if self.action == "list" and (forloeb := _uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=forloeb)
        return qs

    @extend_schema(parameters=[FORLOEB_FILTER])
    def list(self, request, *args, **kwargs):
        return self._liste(self.get_queryset(), BookingSerializer)

    def retrieve(self, request, *args, **kwargs):
        b = self.get_object()
        self._laes(b)
        return Response(BookingSerializer(b).data)

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
        moededag = selectors.moededage_for(request.user).filter(pk=body.pop("moededag")).first()
        if moededag is None:
            raise serializers.ValidationError({"moededag": ["Mødedagen findes ikke."]})
        with forloeb_afvisninger():
            b = services.moede_book(actor=request.user, forloeb=forloeb, moededag=moededag, **body)
        return Response(BookingSerializer(b).data, status=201, headers={"Location": f"/api/v1/bookinger/{b.pk}/"})

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
        moededag = selectors.moededage_for(request.user).filter(pk=body.pop("moededag")).first()
        if moededag is None:
            raise serializers.ValidationError({"moededag": ["Mødedagen findes ikke."]})
        ny = services.moede_flyt(actor=request.user, booking=b, moededag=moededag, **body)
        return Response(
            BookingSerializer(self.get_queryset().get(pk=ny.pk)).data,
            status=201,
            headers={"Location": f"/api/v1/bookinger/{ny.pk}/"},
        )

    @extend_schema(request=AfholdtSerializer, responses=BookingSerializer, parameters=[IDEMPOTENCY])
    @action(detail=True, methods=["post"])
    @idempotent
    def afholdt(self, request, pk=None):
        """Registrér mødet: deltagere (mødedagens medlemmer), om borgeren og en bisidder var til stede, referat."""
        b = self.get_object()
        body = _parse(AfholdtSerializer, request)
        b = services.moede_afholdt(actor=request.user, booking=b, **body)
        return Response(BookingSerializer(self.get_queryset().get(pk=b.pk)).data)


# --- indstillinger --------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class IndstillingViewSet(RehabViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rehabiliteringsteamets indstilling. En anbefaling, ikke en afgørelse: ingen klagevejledning, ingen klagefrist."""

    serializer_class = IndstillingSerializer
    allowed_query_params = {"forloeb"}
    laes_handling = "indstilling"

    def get_queryset(self):
        qs = selectors.indstillinger_for(self.request.user)
        if self.action == "list" and (forloeb := _uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=forloeb)
        return qs

    @extend_schema(parameters=[FORLOEB_FILTER])
    def list(self, request, *args, **kwargs):
        return self._liste(self.get_queryset(), IndstillingSerializer)

    def retrieve(self, request, *args, **kwargs):
        ind = self.get_object()
        self._laes(ind)
        return Response(IndstillingSerializer(ind).data)

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
        with forloeb_afvisninger():
            ind = services.indstilling_registrer(actor=request.user, forloeb=forloeb, **body)
        return Response(
            IndstillingSerializer(ind).data, status=201, headers={"Location": f"/api/v1/indstillinger/{ind.pk}/"}
        )


# --- partshøringer --------------------------------------------------------------------------------
@extend_schema(tags=["rehabilitering"])
class PartshoeringViewSet(RehabViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Partshøring: hvad afgørelsen vil bygge på, sendt til borgeren med svarfrist — eller en undtagelse."""

    serializer_class = PartshoeringSerializer
    allowed_query_params = {"forloeb"}
    laes_handling = "partshoering"

    def get_queryset(self):
        qs = selectors.partshoeringer_for(self.request.user)
        if self.action == "list" and (forloeb := _uuid_param(self.request, "forloeb")):
            qs = qs.filter(forloeb_id=forloeb)
        return qs

    @extend_schema(parameters=[FORLOEB_FILTER])
    def list(self, request, *args, **kwargs):
        return self._liste(self.get_queryset(), PartshoeringSerializer)

    def retrieve(self, request, *args, **kwargs):
        ph = self.get_object()
        self._laes(ph)
        return Response(PartshoeringSerializer(ph).data)

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
        return Response(
            PartshoeringSerializer(ph).data, status=201, headers={"Location": f"/api/v1/partshoeringer/{ph.pk}/"}
        )

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
        return Response(
            PartshoeringSerializer(ph).data, status=201, headers={"Location": f"/api/v1/partshoeringer/{ph.pk}/"}
        )


router = SimpleRouter()
router.register("forberedende-dele", ForberedendeDelViewSet, basename="forberedende-del")
router.register("moededage", MoededagViewSet, basename="moededag")
router.register("bookinger", BookingViewSet, basename="booking")
router.register("indstillinger", IndstillingViewSet, basename="indstilling")
router.register("partshoeringer", PartshoeringViewSet, basename="partshoering")

urlpatterns = router.urls
