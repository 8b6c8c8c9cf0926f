"""Home-share API writes beyond matching: applications (create, update, withdraw), screening
and decisions, meetings, agreements (create, read, extend, end) and their check-ins. Each
operation checks what the page checks, validates with the page's form (one home per input
rule, sharing_city.core.api.forms) and calls the page's service."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.access import has_role
from sharing_city.accounts.models import Role, User
from sharing_city.core import bounds
from sharing_city.core.api.forms import as_form_data, cleaned
from sharing_city.core.api.serializers import ERRORS

from .. import forms, services
from ..access import (
    coordinated_districts,
    is_coordinator,
    require_coordinator,
    require_coordinator_of,
    require_own_application,
)
from ..models import (
    Agreement,
    AgreementReference,
    CheckIn,
    CommuteTime,
    HostApplication,
    Match,
    Recommendation,
    StudentApplication,
)
from . import views
from .serializers import HostApplicationSerializer, MatchSerializer, StudentApplicationSerializer

KINDS: dict[str, Any] = {"host": HostApplication, "student": StudentApplication}


def _user(request: Request) -> User:
    return cast(User, request.user)


def _valid(serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


# --- Applications -------------------------------------------------------------------------


class _ApplicationInput(serializers.ModelSerializer):
    """The page's form fields, typed; the form then checks the rules."""

    submit = serializers.BooleanField(
        default=False, help_text="Send it to the coordinator (otherwise it is saved as a draft)."
    )
    help_tasks = serializers.ListField(child=serializers.CharField(max_length=20), max_length=20)
    languages = serializers.ListField(child=serializers.CharField(max_length=20), max_length=20)
    interests = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False
    )


def _fields(form_class: Any) -> list[str]:
    return [f for f in form_class._meta.fields if f != "enrolment_proof"]


class HostApplicationInput(_ApplicationInput):
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    help_times = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False
    )

    class Meta:
        model = HostApplication
        fields = [*_fields(forms.HostApplicationForm), "submit"]


class StudentApplicationInput(_ApplicationInput):
    accepted_districts = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=bounds.ID_MAX),
        max_length=100,
        required=False,
    )
    available_times = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=20, required=False
    )

    class Meta:
        model = StudentApplication
        fields = [*_fields(forms.StudentApplicationForm), "submit"]


FORMS: dict[str, Any] = {
    "host": (forms.HostApplicationForm, HostApplicationInput, HostApplicationSerializer),
    "student": (
        forms.StudentApplicationForm,
        StudentApplicationInput,
        StudentApplicationSerializer,
    ),
}


def _save_application(request: Request, kind: str, instance: Any, partial: bool) -> Response:
    form_class, input_class, output_class = FORMS[kind]
    data = _valid(input_class, request, partial=partial)
    submit = data.pop("submit", False)
    # What the page's form shows filled in: the stored values (a new one's defaults).
    current = model_to_dict(instance, fields=_fields(form_class))
    if kind == "host" and not current.get("contact_phone"):
        current["contact_phone"] = _user(request).phone
    form = form_class(as_form_data({**current, **data}), instance=instance)
    values = cleaned(form)
    fields = {k: v for k, v in values.items() if k != "accepted_districts"}
    if kind == "host" and not fields.get("contact_phone"):
        fields["contact_phone"] = _user(request).phone
    application = services.save_application(
        by=_user(request),
        application=instance,
        fields=fields,
        districts=list(values["accepted_districts"]) if kind == "student" else None,
        submit=submit,
    )
    application = type(application).objects.select_related("district").get(pk=application.pk)
    return Response(output_class(application).data)


def _create(request: Request, kind: str) -> Response:
    # One live application of each kind: the service refuses a second (409).
    instance = KINDS[kind](applicant=_user(request), district=_user(request).district)
    response = _save_application(request, kind, instance, partial=False)
    response.status_code = status.HTTP_201_CREATED
    return response


def _own(request: Request, kind: str, pk: int) -> Any:
    app = get_object_or_404(KINDS[kind].objects.select_related("district", "applicant"), pk=pk)
    require_own_application(request.user, app)
    return app


class HostApplications(views.HostApplicationList):
    """The caller's host application (coordinators: their district's); POST starts one."""

    @extend_schema(
        request=HostApplicationInput, responses={201: HostApplicationSerializer, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        return _create(request, "host")


class StudentApplications(views.StudentApplicationList):
    """The caller's student application (coordinators: their district's); POST starts one."""

    @extend_schema(
        request=StudentApplicationInput, responses={201: StudentApplicationSerializer, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        return _create(request, "student")


class HostApplicationDetail(views.HostApplicationDetail):
    @extend_schema(
        request=HostApplicationInput, responses={200: HostApplicationSerializer, **ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the caller's own application until it is screened (`submit` sends it)."""
        return _save_application(request, "host", _own(request, "host", pk), partial=True)


class StudentApplicationDetail(views.StudentApplicationDetail):
    @extend_schema(
        request=StudentApplicationInput, responses={200: StudentApplicationSerializer, **ERRORS}
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the caller's own application until it is screened (`submit` sends it)."""
        return _save_application(request, "student", _own(request, "student", pk), partial=True)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


class ApplicationStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


def _status(obj: Any) -> Response:
    obj.refresh_from_db()
    return Response({"id": obj.pk, "status": obj.status})


class WithdrawApplication(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ApplicationStateSerializer, **ERRORS})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        app = _own(request, _kind(kind), pk)
        services.withdraw_application(by=_user(request), application=app)
        return _status(app)


def _coordinated_application(request: Request, kind: str, pk: int) -> Any:
    require_coordinator(request.user)
    model = KINDS[_kind(kind)]
    app = get_object_or_404(model.objects.select_related("district", "applicant"), pk=pk)
    require_coordinator_of(request.user, app.district)
    return app


class ScreeningInput(serializers.Serializer):
    interview_on = serializers.DateField(required=False, allow_null=True)
    interview_notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    home_visit_on = serializers.DateField(required=False, allow_null=True, help_text="Hosts only.")
    home_visit_notes = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Hosts only."
    )
    enrolment_checked = serializers.BooleanField(required=False, help_text="Students only.")


class RecordScreening(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ScreeningInput, responses={200: ApplicationStateSerializer, **ERRORS})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        app = _coordinated_application(request, kind, pk)
        data = _valid(ScreeningInput, request)
        form = forms.ScreeningForm(as_form_data(data), host=kind == "host")
        services.record_screening(by=_user(request), application=app, **cleaned(form))
        return _status(app)


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class Decide(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DecisionInput, responses={200: ApplicationStateSerializer, **ERRORS})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        app = _coordinated_application(request, kind, pk)
        data = cleaned(forms.DecisionForm(as_form_data(_valid(DecisionInput, request))))
        services.screen_application(
            by=_user(request),
            application=app,
            approve=data["decision"] == "approve",
            reason=data["reason"],
        )
        return _status(app)


# --- Meetings, agreements and check-ins ---------------------------------------------------


def _coordinated_match(request: Request, pk: int) -> Match:
    require_coordinator(request.user)
    match = get_object_or_404(Match.objects.select_related("host_application__district"), pk=pk)
    require_coordinator_of(request.user, match.host_application.district)
    return match


def _match(request: Request, pk: int) -> Response:
    match = Match.objects.select_related(*views.MATCH_RELATED).get(pk=pk)
    return Response(MatchSerializer(match, context={"request": request}).data)


class MeetingInput(serializers.Serializer):
    meeting_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class RecordMeeting(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=MeetingInput, responses={200: MatchSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        match = _coordinated_match(request, pk)
        form = forms.MeetingForm(as_form_data(_valid(MeetingInput, request)))
        services.record_meeting(by=_user(request), match=match, **cleaned(form))
        return _match(request, match.pk)


class HomeCheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "due_on", "done_on", "notes", "concern"]


class AgreementSerializer(serializers.ModelSerializer):
    check_ins = HomeCheckInSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "match",
            "status",
            "rent",
            "help_tasks",
            "help_hours",
            "house_rules",
            "start_on",
            "end_on",
            "trial_days",
            "notice_days_trial",
            "notice_days",
            "host_confirmed_at",
            "student_confirmed_at",
            "extensions",
            "ended_on",
            "end_reason",
            "check_ins",
        ]


class AgreementInput(serializers.ModelSerializer):
    help_tasks = serializers.ListField(
        child=serializers.CharField(max_length=20), min_length=1, max_length=20
    )
    end_on = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: six months (one semester)."
    )

    class Meta:
        model = Agreement
        fields = list(forms.AgreementForm.Meta.fields)


AGREEMENT_RELATED = ["match__host_application__district"]


def _agreements(user: Any) -> QuerySet[Agreement]:
    """A coordinator's district's agreements, or the member's own (host or student)."""
    if not getattr(user, "is_authenticated", False):
        return Agreement.objects.none()
    qs = Agreement.objects.select_related(*AGREEMENT_RELATED).prefetch_related("check_ins")
    if is_coordinator(user):
        return qs.filter(match__host_application__district__in=coordinated_districts(user))
    return qs.filter(match__in=Match.objects.for_member(user))


def _agreement(request: Request, agreement: Agreement, code: int = 200) -> Response:
    agreement = _agreements(request.user).get(pk=agreement.pk)
    return Response(AgreementSerializer(agreement).data, status=code)


class CreateAgreement(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AgreementInput, responses={201: AgreementSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        match = _coordinated_match(request, pk)
        form = forms.AgreementForm(as_form_data(_valid(AgreementInput, request)))
        agreement = services.create_agreement(by=_user(request), match=match, **cleaned(form))
        return _agreement(request, agreement, status.HTTP_201_CREATED)


class AgreementList(generics.ListAPIView):
    """The caller's agreements (as host or student), or a coordinator's district's."""

    permission_classes = [IsAuthenticated]
    serializer_class = AgreementSerializer
    queryset = Agreement.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Agreement]:
        return _agreements(self.request.user).order_by("-start_on", "-pk")

    @extend_schema(responses={200: AgreementSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AgreementDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AgreementSerializer, **ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(
            Agreement.objects.select_related(*AGREEMENT_RELATED).prefetch_related("check_ins"),
            pk=pk,
        )
        if agreement.match.side_of(request.user) is None:
            require_coordinator_of(request.user, agreement.match.host_application.district)
        return Response(AgreementSerializer(agreement).data)


def _coordinated_agreement(request: Request, pk: int) -> Agreement:
    require_coordinator(request.user)
    agreement = get_object_or_404(Agreement.objects.select_related(*AGREEMENT_RELATED), pk=pk)
    require_coordinator_of(request.user, agreement.match.host_application.district)
    return agreement


class AgreementExtendInput(serializers.Serializer):
    new_end_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AgreementEndInput(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(max_length=1000)


class ExtendAgreement(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AgreementExtendInput, responses={200: AgreementSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        agreement = _coordinated_agreement(request, pk)
        form = forms.ExtendForm(as_form_data(_valid(AgreementExtendInput, request)))
        services.extend_agreement(by=_user(request), agreement=agreement, **cleaned(form))
        return _agreement(request, agreement)


class EndAgreement(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AgreementEndInput, responses={200: AgreementSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        agreement = _coordinated_agreement(request, pk)
        form = forms.EndForm(as_form_data(_valid(AgreementEndInput, request)))
        services.end_agreement(by=_user(request), agreement=agreement, **cleaned(form))
        return _agreement(request, agreement)


class ReferenceInput(serializers.Serializer):
    recommend = serializers.ChoiceField(choices=Recommendation.choices)
    text = serializers.CharField(max_length=bounds.REFERENCE_CHARS)


class ReferenceSerializer(serializers.ModelSerializer):
    """What the author sees of the reference they left (the other side never sees it)."""

    class Meta:
        model = AgreementReference
        fields = ["id", "agreement", "author_side", "recommend", "text", "created_at"]


class LeaveReference(APIView):
    """After an agreement ends, the host or the student leaves a private reference about the
    other side, for the coordinators only (the match page's form)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReferenceInput, responses={status.HTTP_201_CREATED: ReferenceSerializer, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(Agreement.objects.select_related("match"), pk=pk)
        if agreement.match.side_of(request.user) is None:
            raise Http404  # the agreement of others: not even its existence
        form = forms.ReferenceForm(as_form_data(_valid(ReferenceInput, request)))
        reference = services.leave_reference(
            by=_user(request), agreement=agreement, **cleaned(form)
        )
        return Response(ReferenceSerializer(reference).data, status=status.HTTP_201_CREATED)


class HomeCheckInInput(serializers.Serializer):
    done_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    concern = serializers.BooleanField(required=False, default=False)


class RecordCheckIn(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=HomeCheckInInput, responses={200: HomeCheckInSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        require_coordinator(request.user)
        check_in = get_object_or_404(
            CheckIn.objects.select_related("agreement__match__host_application__district"), pk=pk
        )
        require_coordinator_of(request.user, check_in.agreement.match.host_application.district)
        form = forms.CheckInForm(as_form_data(_valid(HomeCheckInInput, request)))
        services.record_check_in(by=_user(request), check_in=check_in, **cleaned(form))
        check_in.refresh_from_db()
        return Response(HomeCheckInSerializer(check_in).data)


# --- The commute table (staff) ----------------------------------------------------------------


class CommuteInput(serializers.Serializer):
    minutes = serializers.IntegerField(help_text="Usual public-transport minutes, 1 to 300.")


class CommuteTimeSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    university = serializers.CharField(source="university.code", read_only=True)

    class Meta:
        model = CommuteTime
        fields = ["id", "district", "university", "minutes", "updated_at"]


class SetCommuteMinutes(APIView):
    """Staff correct one row of the commute table (the commute page's form); the next matching
    run uses it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CommuteInput, responses={200: CommuteTimeSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        if not has_role(request.user, Role.STAFF):  # before the row: as the page
            raise PermissionDenied
        row = get_object_or_404(CommuteTime.objects.select_related("district", "university"), pk=pk)
        form = forms.CommuteForm(as_form_data(_valid(CommuteInput, request)))
        row = services.set_commute_minutes(by=_user(request), commute_time=row, **cleaned(form))
        return Response(CommuteTimeSerializer(row).data)
