"""The desk's other writes as API operations (API parity): open and work a repair ticket, add,
edit or retire an item, email a check-out receipt, move an item to another place, record a
member's safety briefing or ID check, publish or withdraw a kit. Each checks its body with the
page's own form and calls the page's service, at places the caller works at (403 elsewhere);
kits, as on the place page, by the place's leads and district staff only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending import services as lending
from lending.api.serializers import KitSerializer
from lending.models import IdDocument, Item, Kit, Place
from sharing_city.accounts.models import User
from sharing_city.core import bounds
from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from .. import selectors, services
from ..exceptions import ReceiptForOneMember, UnknownCode
from ..forms import (
    BriefingForm,
    CloseDayForm,
    CloseTicketForm,
    EditItemForm,
    ItemForm,
    KitForm,
    RetireForm,
    TicketForm,
    TransferForm,
    VerifyForm,
)
from ..models import CloseOut, RepairTicket, Transfer
from ..receipts import email_receipt
from .day import _managed
from .serializers import RepairTicketSerializer
from .views import _place


def _item_here(place: Place, code: str) -> Item:
    """A copy held by this place (404 for an unknown code or another place's copy)."""
    item = selectors.item_by_code(code)
    if item is None or item.place_id != place.pk:
        raise Http404
    return item


def _member(number: str) -> Any:
    """The member whose card number is in the path (a card, not a search)."""
    return get_object_or_404(User, member_number=number.strip().upper(), is_active=True)


class TicketInput(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    problem = serializers.ChoiceField(choices=TicketForm.base_fields["problem"].choices)  # type: ignore[attr-defined]
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class OpenTicket(APIView):
    """Open a repair ticket on an item of the place: it leaves lending until it is closed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=TicketInput, responses={201: RepairTicketSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        data = cleaned(TicketForm(as_form_data(validated(TicketInput, request))))
        item = _item_here(place, data["code"])
        ticket = services.open_ticket(
            item=item, by=request.user, problem=data["problem"], note=data["note"]
        )
        return Response(RepairTicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class CloseTicketInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CloseTicketForm.base_fields["outcome"].choices)  # type: ignore[attr-defined]
    resolution = serializers.CharField(max_length=1000, required=False, allow_blank=True)


def _action_parameter(actions: Iterable[str]) -> OpenApiParameter:
    """The `{action}` of a URL, documented as the values it takes (another is a 404)."""
    return OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(actions))


def _start_ticket(request: Request, ticket: RepairTicket) -> RepairTicket:
    return services.start_repair(ticket=ticket, by=request.user)


def _clean_ticket(request: Request, ticket: RepairTicket) -> RepairTicket:
    return services.close_ticket(
        ticket=ticket, by=request.user, outcome="resolved", resolution="Cleaned"
    )


def _close_ticket(request: Request, ticket: RepairTicket) -> RepairTicket:
    data = cleaned(CloseTicketForm(as_form_data(validated(CloseTicketInput, request))))
    return services.close_ticket(ticket=ticket, by=request.user, **data)


# What the URL's {action} does; the schema lists the same names.
TICKET_ACTIONS = {"start": _start_ticket, "clean": _clean_ticket, "close": _close_ticket}


class TicketAction(APIView):
    """Work a ticket: `start` (someone is on it), `clean` (cleaned: back into lending), or
    `close` with an outcome (repaired, or retired with the reason)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CloseTicketInput,
        responses={200: RepairTicketSerializer, **ERRORS},
        parameters=[_action_parameter(TICKET_ACTIONS)],
    )
    def post(self, request: Request, slug: str, pk: int, action: str) -> Response:
        place = _place(request, slug)
        ticket = get_object_or_404(RepairTicket.objects.select_related("item"), pk=pk, place=place)
        if action not in TICKET_ACTIONS:
            raise Http404
        ticket = TICKET_ACTIONS[action](request, ticket)
        return Response(RepairTicketSerializer(ticket).data)


class RetireInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RetireItem(APIView):
    """Take an item of the place out of the collection for good (never while on loan)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RetireInput, responses={200: None, **ERRORS})
    def post(self, request: Request, slug: str, code: str) -> Response:
        place = _place(request, slug)
        item = _item_here(place, code)
        data = cleaned(RetireForm(as_form_data(validated(RetireInput, request))))
        lending.retire_item(item=item, by=request.user, reason=data["reason"])
        return Response({"code": item.code, "status": Item.Status.RETIRED})


class BriefingInput(serializers.Serializer):
    category = serializers.IntegerField(help_text="The id of a category that needs a briefing.")


class RecordBriefing(APIView):
    """A volunteer gave the member the safety briefing a category's items need."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=BriefingInput, responses={200: None, **ERRORS})
    def post(self, request: Request, slug: str, number: str) -> Response:
        place = _place(request, slug)
        member = _member(number)
        data = cleaned(BriefingForm(as_form_data(validated(BriefingInput, request))))
        lending.record_briefing(
            member=member, category=data["category"], by=request.user, place=place
        )
        return Response({"member": member.member_number, "category": data["category"].pk})


class VerifyInput(serializers.Serializer):
    document = serializers.ChoiceField(choices=IdDocument.choices)
    address_matches = serializers.BooleanField()


class VerifyMember(APIView):
    """A volunteer saw the member's ID and that its address matches: the member is verified."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=VerifyInput, responses={200: None, **ERRORS})
    def post(self, request: Request, slug: str, number: str) -> Response:
        place = _place(request, slug)
        member = _member(number)
        data = cleaned(VerifyForm(as_form_data(validated(VerifyInput, request))))
        lending.verify_member(
            member=member, document=data["document"], by=request.user, place=place
        )
        return Response({"member": member.member_number, "verified": True})


class AddItemInput(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="On the label, such as TC-0001.")
    title = serializers.IntegerField(
        required=False, help_text="A copy of this title (one the place lends already)."
    )
    new_name_ko = serializers.CharField(max_length=200, required=False, allow_blank=True)
    new_name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    category = serializers.IntegerField(required=False, help_text="The new thing's category.")
    condition = serializers.ChoiceField(choices=Item.Condition.choices, default=Item.Condition.GOOD)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    photo = serializers.FileField(required=False, help_text="multipart/form-data only.")


class AddedItemSerializer(serializers.ModelSerializer):
    title_name = serializers.CharField(source="title.name", read_only=True)

    class Meta:
        model = Item
        fields = ["id", "code", "title", "title_name", "condition", "note", "status"]


class AddItem(APIView):
    """Add a copy to the place's inventory (the inventory page's form): of a title the place
    lends, or of a new thing (a Korean name and a category); a photo goes with the title."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="tool_centres_add_item",
        request=AddItemInput,
        responses={201: AddedItemSerializer, **ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        values = validated(AddItemInput, request)
        photo = values.pop("photo", None)
        form = ItemForm(as_form_data(values), {"photo": photo} if photo else None, place=place)
        item = services.add_copy(place=place, by=request.user, **cleaned(form))
        return Response(AddedItemSerializer(item).data, status=status.HTTP_201_CREATED)


class EditItemInput(serializers.Serializer):
    condition = serializers.ChoiceField(choices=Item.Condition.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class EditItem(APIView):
    """Record an item's condition and a note (the inventory's edit form)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=EditItemInput, responses={200: None, **ERRORS})
    def post(self, request: Request, slug: str, code: str) -> Response:
        place = _place(request, slug)
        item = _item_here(place, code)
        data = cleaned(EditItemForm(as_form_data(validated(EditItemInput, request))))
        lending.update_item(item=item, by=request.user, **data)
        item.refresh_from_db()
        return Response({"code": item.code, "condition": item.condition, "note": item.note})


class TransferInput(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    to_place = serializers.CharField(max_length=100, help_text="The receiving place's slug.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TransferSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    from_place = serializers.CharField(source="from_place.slug")
    to_place = serializers.CharField(source="to_place.slug")

    class Meta:
        model = Transfer
        fields = ["id", "item", "from_place", "to_place", "status", "note"]


class RequestTransfer(APIView):
    """Ask to move an item of this place to another place (the transfers page's form)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=TransferInput, responses={201: TransferSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        values = validated(TransferInput, request)
        to_place = Place.objects.filter(slug=values.pop("to_place")).first()
        form = TransferForm(
            as_form_data({**values, "to_place": to_place.pk if to_place else ""}), place=place
        )
        data = cleaned(form)
        item = selectors.item_by_code(data["code"])
        if item is None or item.place_id != place.pk:
            raise UnknownCode(data["code"])
        transfer = services.request_transfer(
            item=item, to_place=data["to_place"], by=request.user, note=data["note"]
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


TRANSFER_ACTIONS = {
    "send": services.send_transfer,
    "receive": services.receive_transfer,
    "cancel": services.cancel_transfer,
}


class TransferAction(APIView):
    """`send` (it left here), `receive` (it arrived here) or `cancel` a transfer of this place."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tool_centres_transfer_action",
        request=None,
        responses={200: TransferSerializer, **ERRORS},
        parameters=[_action_parameter(TRANSFER_ACTIONS)],
    )
    def post(self, request: Request, slug: str, pk: int, action: str) -> Response:
        place = _place(request, slug)
        transfer = get_object_or_404(Transfer, pk=pk)
        if place.pk not in (transfer.from_place_id, transfer.to_place_id):
            raise Http404
        if action not in TRANSFER_ACTIONS:
            raise Http404
        TRANSFER_ACTIONS[action](transfer=transfer, by=request.user)
        transfer = Transfer.objects.select_related("item", "from_place", "to_place").get(
            pk=transfer.pk
        )
        return Response(TransferSerializer(transfer).data)


class CloseDayInput(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Empty: today.")
    counted = serializers.IntegerField(help_text="Cash counted for deposits (₩).")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CloseOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = CloseOut
        fields = ["id", "day", "expected", "counted", "note", "closed_at", "checked_at"]


def _close_day(value: Any) -> Any:
    """The day of the cash book: today unless one in the report window (not the future)."""
    today = timezone.localdate()
    if value is None:
        return today
    try:
        bounds.REPORT.check(value, today=today)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"day": list(exc.messages)}) from exc
    if value > today:
        raise serializers.ValidationError({"day": [str(_("A day cannot be closed in advance."))]})
    return value


class CloseDay(APIView):
    """Close the day's cash: what was counted against what the cash book holds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CloseDayInput, responses={201: CloseOutSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        values = validated(CloseDayInput, request)
        day = _close_day(values.pop("day", None))
        data = cleaned(CloseDayForm(as_form_data(values)))
        close_out = services.close_day(place=place, day=day, by=request.user, **data)
        return Response(CloseOutSerializer(close_out).data, status=status.HTTP_201_CREATED)


class CheckDayInput(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Empty: today.")


class CheckCloseOut(APIView):
    """A second volunteer confirms the day's count (never the one who closed it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckDayInput, responses={200: CloseOutSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        day = _close_day(validated(CheckDayInput, request).get("day"))
        close_out = services.check_close_out(place=place, day=day, by=request.user)
        return Response(CloseOutSerializer(close_out).data)


class KitInput(serializers.Serializer):
    name_ko = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_ko = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=64),
        help_text="One copy held here of each title the kit lends, by its code.",
    )


class PlaceKitSerializer(KitSerializer):
    class Meta(KitSerializer.Meta):
        fields = [*KitSerializer.Meta.fields, "published"]


def _kit_out(kit: Kit) -> dict[str, Any]:
    kit = Kit.objects.select_related("place").prefetch_related("titles").get(pk=kit.pk)
    return PlaceKitSerializer(kit).data


class PublishKit(APIView):
    """Publish a kit of the place's titles, named by copies the place holds (the place page's
    kit form): residents can then book it as one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=KitInput, responses={201: PlaceKitSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = _managed(request, slug)
        values = validated(KitInput, request)
        # The form reads the codes as the page's text box sends them: separated by spaces.
        values["item_codes"] = " ".join(values["item_codes"])
        data = cleaned(KitForm(as_form_data(values)))
        kit = lending.publish_kit(place=place, by=request.user, **data)
        return Response(_kit_out(kit), status=status.HTTP_201_CREATED)


class WithdrawKit(APIView):
    """Take the place's kit out of the catalogue (bookings already made stay). Twice: harmless."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PlaceKitSerializer, **ERRORS})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        place = _managed(request, slug)
        kit = lending.withdraw_kit(kit=get_object_or_404(Kit, pk=pk, place=place), by=request.user)
        return Response(_kit_out(kit))


class ReceiptInput(serializers.Serializer):
    loans = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=bounds.ID_MAX),
        min_length=1,
        max_length=50,
        help_text="The loans of one member lent here (check-out's `loan` ids).",
    )


class EmailReceipt(APIView):
    """Email the member the receipt for loans lent here, as the desk's receipt button does;
    `sent` is false when the member has no email address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReceiptInput,
        responses={
            200: inline_serializer(
                "ReceiptSent",
                {
                    "sent": serializers.BooleanField(),
                    "loans": serializers.ListField(child=serializers.IntegerField()),
                },
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        place = _place(request, slug)
        ids = set(validated(ReceiptInput, request)["loans"])
        loans = selectors.receipt_loans(list(ids), place=place)
        if len(loans) != len(ids):  # another place's loan, or none such
            raise Http404
        if len({loan.member_id for loan in loans}) > 1:
            raise ReceiptForOneMember()
        sent = email_receipt(loans, place=place)
        return Response({"sent": sent, "loans": [loan.pk for loan in loans]})
