"""Home-share API: reads scoped to the reader (fail closed), writes through the services."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind, User

from .. import services
from ..access import (
    coordinated_districts,
    is_coordinator,
    match_role,
    require_coordinator,
    require_coordinator_of,
)
from ..models import (
    Agreement,
    Candidate,
    HostApplication,
    Match,
    MatchingRun,
    RunStatus,
    StudentApplication,
)
from ..selectors import matches_for_member
from .serializers import (
    CheckInputSerializer,
    CheckSerializer,
    DecisionResultSerializer,
    DecisionSerializer,
    HostApplicationSerializer,
    MatchSerializer,
    ProposeSerializer,
    RespondSerializer,
    RunInputSerializer,
    RunSerializer,
    StudentApplicationSerializer,
)


def _user(request: Request) -> User:
    """Every view here requires IsAuthenticated, so the user is a member."""
    return cast(User, request.user)


def _applications(model: Any, user: Any) -> QuerySet:
    """A coordinator's district (drafts excluded), or the member's own applications."""
    if not getattr(user, "is_authenticated", False):  # schema generation
        return model.objects.none()
    if is_coordinator(user):
        return model.objects.in_districts(coordinated_districts(user)).exclude(status="draft")
    return model.objects.filter(applicant=user)


class HostApplicationList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HostApplicationSerializer

    queryset = HostApplication.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[HostApplication]:
        return _applications(HostApplication, self.request.user).select_related("district")


class StudentApplicationList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = StudentApplicationSerializer

    queryset = StudentApplication.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[StudentApplication]:
        return _applications(StudentApplication, self.request.user).select_related(
            "district", "university"
        )


def _application_detail(model: Any, serializer: Any, request: Request, pk: int) -> Response:
    app = get_object_or_404(model.objects.select_related("district"), pk=pk)
    if app.applicant_id != request.user.pk:
        require_coordinator_of(request.user, app.district)
        record_access(
            request.user,
            app.applicant,
            AccessKind.HOMESHARE_APPLICATION,
            app,
            where=app.district.name_local,
        )
    return Response(serializer(app).data)


class HostApplicationDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: HostApplicationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return _application_detail(HostApplication, HostApplicationSerializer, request, pk)


class StudentApplicationDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: StudentApplicationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return _application_detail(StudentApplication, StudentApplicationSerializer, request, pk)


API_KINDS: dict[str, Any] = {"host": HostApplication, "student": StudentApplication}


def _screened_application(request: Request, kind: str, pk: int) -> Any:
    """An application the requesting coordinator may screen (404 for an unknown kind)."""
    model = API_KINDS.get(kind)
    if model is None:
        raise Http404
    require_coordinator(request.user)
    app = get_object_or_404(model.objects.select_related("district"), pk=pk)
    require_coordinator_of(request.user, app.district)
    return app


class ApplicationChecks(APIView):
    """Record a reference, ID or background check (the same service as the review page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckInputSerializer, responses={201: CheckSerializer})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        app = _screened_application(request, kind, pk)
        data = CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = services.record_check(by=_user(request), application=app, **data.validated_data)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)


class ApplicationDecision(APIView):
    """Approve (refused until the interview, references and checks are recorded) or reject."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DecisionSerializer, responses={200: DecisionResultSerializer})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        app = _screened_application(request, kind, pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.screen_application(by=_user(request), application=app, **data.validated_data)
        return Response(DecisionResultSerializer(app).data)


MATCH_RELATED = [
    "host_application__district",
    "host_application__applicant",
    "student_application__applicant",
    "student_application__university",
]


class MatchList(generics.ListAPIView):
    """The member's own proposals, or the coordinator's district's."""

    permission_classes = [IsAuthenticated]
    serializer_class = MatchSerializer

    queryset = Match.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Match]:
        user = self.request.user
        if not user.is_authenticated:  # schema generation
            return Match.objects.none()
        if is_coordinator(user):
            return Match.objects.in_districts(coordinated_districts(user)).select_related(
                *MATCH_RELATED
            )
        return matches_for_member(user)


class MatchDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MatchSerializer})
    def get(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(Match.objects.select_related(*MATCH_RELATED), pk=pk)
        match_role(request.user, match)
        return Response(MatchSerializer(match, context={"request": request}).data)


class MatchRespond(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RespondSerializer, responses={200: MatchSerializer})
    def post(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(Match, pk=pk)
        if match.side_of(request.user) is None:
            raise PermissionDenied
        data = RespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.respond_to_match(by=_user(request), match=match, **data.validated_data)
        match = Match.objects.select_related(*MATCH_RELATED).get(pk=match.pk)
        return Response(MatchSerializer(match, context={"request": request}).data)


class RunCreate(APIView):
    """Run matching for a district (or, for a city admin, the whole city)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RunInputSerializer, responses={201: RunSerializer, 202: RunSerializer})
    def post(self, request: Request) -> Response:
        """201 with the shortlist when done at once; 202 when queued for a worker (poll it)."""
        require_coordinator(request.user)
        data = RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_matching(by=_user(request), **data.validated_data)
        done = run.status == RunStatus.DONE
        code = status.HTTP_201_CREATED if done else status.HTTP_202_ACCEPTED
        return Response(RunSerializer(run).data, status=code)


class RunDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RunSerializer})
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(MatchingRun.objects.select_related("district"), pk=pk)
        require_coordinator(request.user)
        if run.district is None and not _user(request).is_city_admin:
            raise PermissionDenied
        if run.district is not None:
            require_coordinator_of(request.user, run.district)
        return Response(RunSerializer(run).data)


class Propose(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProposeSerializer, responses={201: MatchSerializer})
    def post(self, request: Request, pk: int) -> Response:
        candidate = get_object_or_404(Candidate.objects.select_related("run__district"), pk=pk)
        require_coordinator(request.user)
        require_coordinator_of(request.user, candidate.host_application.district)
        data = ProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.propose_match(
            by=_user(request), candidate=candidate, **data.validated_data
        )
        match = Match.objects.select_related(*MATCH_RELATED).get(pk=match.pk)
        body = MatchSerializer(match, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ConfirmAgreement(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: MatchSerializer})
    def post(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(Agreement.objects.select_related("match"), pk=pk)
        if agreement.match.side_of(request.user) is None:
            raise PermissionDenied
        services.confirm_agreement(by=_user(request), agreement=agreement)
        match = Match.objects.select_related(*MATCH_RELATED).get(pk=agreement.match_id)
        return Response(MatchSerializer(match, context={"request": request}).data)
