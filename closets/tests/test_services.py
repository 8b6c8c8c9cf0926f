"""Closet workflows: who -> what -> result, then the database, then events and notices."""

import datetime as dt

import pytest
from django.utils import translation

from closets import exceptions, reminders, services
from closets.models import (
    ClosetEvent,
    Coach,
    CoachingSession,
    Donation,
    EligibilityProof,
    FittingSlot,
    FittingVisit,
    Garment,
    Rental,
    RenterProfile,
    ThankYouLetter,
)
from lending.models import Event, Item, Loan
from sharing_city.notifications.models import Notice

from .conftest import NOW, TODAY, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Korean catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


def state():
    return (
        list(FittingSlot.objects.values_list("pk", "booked")),
        list(FittingVisit.objects.values_list("pk", "state", "slot_id")),
        list(CoachingSession.objects.values_list("pk", "member_id")),
        list(Rental.objects.values_list("pk", "due_date", "returned_at", "fees")),
        list(Loan.objects.values_list("pk", "returned_at", "due_date")),
        list(Item.objects.values_list("pk", "status")),
        list(Garment.objects.values_list("pk", "care")),
        ClosetEvent.objects.count(),
        Event.objects.count(),
        Notice.objects.count(),
    )


@pytest.fixture
def session(closet, make_member):
    coach = Coach.objects.create(user=make_member("coach", role="volunteer"), skills=["cv"])
    return CoachingSession.objects.create(
        coach=coach,
        place=closet,
        starts_at=local(TODAY + dt.timedelta(days=2), 10, 30),
        skill="cv",
        mode="video",
    )


# --- fittings -------------------------------------------------------------------------------


def test_book_fitting_takes_a_seat_and_the_advice_session(resident, slot, session):
    visit = services.book_fitting(
        member=resident, slot=slot, coaching=session, by=resident, now=NOW
    )

    assert visit.state == "booked"
    slot.refresh_from_db()
    session.refresh_from_db()
    assert slot.booked == 1
    assert (session.member, session.visit) == (resident, visit)
    event = ClosetEvent.objects.get(action="fitting_booked")
    assert (event.actor, event.member, event.visit) == (resident, resident, visit)


def test_book_fitting_twice_is_one_visit(resident, slot):
    first = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    second = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)

    assert first == second
    slot.refresh_from_db()
    assert slot.booked == 1
    assert ClosetEvent.objects.filter(action="fitting_booked").count() == 1


def test_book_fitting_refuses_a_full_slot_and_changes_nothing(resident, other_resident, make_slot):
    slot = make_slot(capacity=1)
    services.book_fitting(member=other_resident, slot=slot, by=other_resident, now=NOW)
    before = state()

    with pytest.raises(exceptions.SlotFull) as refused:
        services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)

    assert refused.value.code == "slot_full" and refused.value.http_status == 409
    assert state() == before


def test_book_fitting_with_a_taken_session_books_nothing(resident, other_resident, slot, session):
    services.book_coaching(member=other_resident, session=session, by=other_resident, now=NOW)
    before = state()

    with pytest.raises(exceptions.SessionTaken):
        services.book_fitting(member=resident, slot=slot, coaching=session, by=resident, now=NOW)

    assert state() == before


def test_book_fitting_refuses_a_second_upcoming_fitting(resident, slot, make_slot):
    services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    later = make_slot(starts_at=local(TODAY + dt.timedelta(days=3), 11))
    before = state()

    with pytest.raises(exceptions.AlreadyBooked):
        services.book_fitting(member=resident, slot=later, by=resident, now=NOW)

    assert state() == before


def test_a_renter_cannot_book_for_someone_else(resident, other_resident, slot):
    with pytest.raises(exceptions.NotYourRental):
        services.book_fitting(member=other_resident, slot=slot, by=resident, now=NOW)

    assert FittingVisit.objects.count() == 0


def test_cancel_frees_the_seat_and_the_session_and_twice_is_harmless(resident, slot, session):
    visit = services.book_fitting(
        member=resident, slot=slot, coaching=session, by=resident, now=NOW
    )

    services.cancel_fitting(visit=visit, by=resident, now=NOW)
    services.cancel_fitting(visit=visit, by=resident, now=NOW)

    visit.refresh_from_db()
    slot.refresh_from_db()
    session.refresh_from_db()
    assert visit.state == "cancelled" and slot.booked == 0 and session.member is None
    assert ClosetEvent.objects.filter(action="fitting_cancelled").count() == 1


def test_cancel_after_the_cut_off_is_refused_for_the_renter_not_for_staff(
    resident, slot, closet_volunteer
):
    visit = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    late = slot.starts_at - dt.timedelta(hours=2)
    before = state()

    with pytest.raises(exceptions.TooLateToChange) as refused:
        services.cancel_fitting(visit=visit, by=resident, now=late)

    assert "3" in str(refused.value.message)
    assert state() == before
    services.cancel_fitting(visit=visit, by=closet_volunteer, now=late)
    visit.refresh_from_db()
    assert visit.state == "cancelled"


def test_change_fitting_moves_the_seat(resident, slot, make_slot):
    visit = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    later = make_slot(starts_at=local(TODAY + dt.timedelta(days=3), 11))

    services.change_fitting(visit=visit, slot=later, by=resident, now=NOW)

    slot.refresh_from_db()
    later.refresh_from_db()
    visit.refresh_from_db()
    assert (slot.booked, later.booked, visit.slot) == (0, 1, later)


def test_staff_follow_a_visit_and_record_a_no_show(
    resident, other_resident, slot, closet_volunteer
):
    came = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    absent = services.book_fitting(member=other_resident, slot=slot, by=other_resident, now=NOW)

    for step in ["arrived", "measuring", "fitting"]:
        services.set_visit_state(visit=came, state=step, by=closet_volunteer, now=NOW)
    services.set_visit_state(visit=absent, state="no_show", by=closet_volunteer, now=NOW)

    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.state, absent.state) == ("fitting", "no_show")
    assert ClosetEvent.objects.filter(action="visit_state").count() == 4


def test_visit_states_refuse_a_jump_and_a_renter(resident, slot, closet_volunteer):
    visit = services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)
    before = state()

    with pytest.raises(exceptions.VisitStateInvalid):
        services.set_visit_state(visit=visit, state="rented", by=closet_volunteer, now=NOW)
    with pytest.raises(exceptions.NotClosetStaff):
        services.set_visit_state(visit=visit, state="arrived", by=resident, now=NOW)

    assert state() == before


def test_create_slots_follows_opening_hours_and_is_idempotent(closet, closet_volunteer):
    created = services.create_slots(
        place=closet, start=TODAY, end=TODAY, by=closet_volunteer, now=NOW
    )
    again = services.create_slots(
        place=closet, start=TODAY, end=TODAY, by=closet_volunteer, now=NOW
    )

    assert (created, again) == (16, 0)  # 10:00-18:00 in 30-minute slots
    first = FittingSlot.objects.order_by("starts_at").first()
    assert first.starts_at == local(TODAY, 10)


# --- rentals --------------------------------------------------------------------------------


@pytest.fixture
def outfit(make_garment):
    jacket = make_garment("jacket", bust=96, arm=60)
    trousers = make_garment("trousers", waist=82)
    shirt = make_garment("shirt", "white", neck=39, bust=98, arm=61)
    return [jacket, trousers, shirt]


@pytest.fixture
def profile(resident):
    return RenterProfile.objects.create(
        member=resident,
        style="men",
        height=175,
        weight=70,
        bust=96,
        waist=82,
        interview_date=TODAY + dt.timedelta(days=2),
    )


def test_rent_outfit_lends_every_garment_with_one_due_date(
    resident, outfit, paid_programme, closet, closet_volunteer, profile
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit,
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    assert rental.due_date == TODAY + dt.timedelta(days=3)  # 3 nights, the day after the interview
    assert rental.measurements == {"bust": 96, "waist": 82}
    loans = Loan.objects.filter(member=resident)
    assert loans.count() == 3 and {loan.due_date for loan in loans} == {rental.due_date}
    assert Event.objects.filter(action="check_out").count() == 3
    assert ClosetEvent.objects.get(action="rented").rental == rental


def test_rent_outfit_records_nothing_when_one_garment_is_taken(
    resident, other_resident, outfit, paid_programme, closet, closet_volunteer
):
    services.rent_outfit(
        member=other_resident,
        garments=[outfit[2]],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    with pytest.raises(exceptions.GarmentUnavailable) as refused:
        services.rent_outfit(
            member=resident,
            garments=outfit,
            programme=paid_programme,
            place=closet,
            by=closet_volunteer,
            now=NOW,
        )

    assert outfit[2].code in str(refused.value.message)
    # One transaction: the first garments' check-outs were never recorded at all (no loans
    # made and "undone", no events), and they are still free to lend.
    assert not Loan.objects.filter(member=resident).exists()
    assert not Event.objects.filter(member=resident).exists()
    assert not Rental.objects.filter(member=resident).exists()
    for garment in outfit[:2]:
        garment.item.refresh_from_db()
        assert garment.item.status == Item.Status.ACTIVE


def test_a_partial_return_is_all_or_nothing(
    resident, outfit, paid_programme, closet, closet_volunteer, make_garment
):
    not_rented = make_garment(kind="shirt")
    rental = services.rent_outfit(
        member=resident,
        garments=outfit,
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    # The second garment is not part of this rental: the first one's return is not kept.
    with pytest.raises(exceptions.UnknownGarment):
        services.return_garments(
            rental=rental,
            garments=[outfit[0], not_rented],
            by=closet_volunteer,
            now=NOW + dt.timedelta(days=1),
        )

    assert Loan.objects.filter(member=resident, returned_at__isnull=True).count() == 3
    outfit[0].refresh_from_db()
    assert outfit[0].care == "available"


def test_partial_return_keeps_the_rest_on_loan_then_laundry_then_available(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit,
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )
    later = NOW + dt.timedelta(days=2)

    services.return_garments(rental=rental, garments=outfit[:2], by=closet_volunteer, now=later)

    rental.refresh_from_db()
    assert rental.is_open
    assert (
        Loan.objects.filter(member=resident, returned_at__isnull=True).get().item == outfit[2].item
    )
    jacket = Garment.objects.select_related("item").get(pk=outfit[0].pk)
    assert (jacket.care, jacket.item.status) == ("laundry", "maintenance")

    services.return_garments(rental=rental, garments=outfit[2:], by=closet_volunteer, now=later)
    services.return_garments(rental=rental, garments=outfit[2:], by=closet_volunteer, now=later)
    services.set_care(garment=jacket, care="available", by=closet_volunteer, now=later)

    rental.refresh_from_db()
    jacket.refresh_from_db()
    jacket.item.refresh_from_db()
    assert rental.returned_at == later and rental.fees == 0
    assert (jacket.care, jacket.item.status) == ("available", "active")
    assert ClosetEvent.objects.filter(action="returned").count() == 1


def test_late_return_charges_the_late_fee_of_a_paid_programme(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit[:1],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    services.return_garments(
        rental=rental, garments=outfit[:1], by=closet_volunteer, now=NOW + dt.timedelta(days=5)
    )

    rental.refresh_from_db()
    assert rental.fees == 30000 * 30 * 2 / 100  # two days late at 30 % a day


def test_extension_moves_every_open_loan_up_to_thirty_days_then_refuses(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit,
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    services.extend_rental(rental=rental, days=3, by=resident, now=NOW)
    rental.refresh_from_db()
    assert rental.due_date == TODAY + dt.timedelta(days=6)
    assert rental.fees == 30000 * 20 * 3 / 100
    assert set(Loan.objects.values_list("due_date", flat=True)) == {rental.due_date}

    services.extend_rental(rental=rental, days=40, by=resident, now=NOW)
    rental.refresh_from_db()
    assert rental.due_date == TODAY + dt.timedelta(days=30)
    before = state()
    with pytest.raises(exceptions.ExtensionRefused) as refused:
        services.extend_rental(rental=rental, days=1, by=resident, now=NOW)
    assert refused.value.code == "extension_limit" and "30" in str(refused.value.message)
    assert state() == before


def test_extension_is_refused_when_overdue_and_changes_nothing(
    resident, outfit, paid_programme, closet, closet_volunteer
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit[:1],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )
    before = state()

    with pytest.raises(exceptions.ExtensionRefused) as refused:
        services.extend_rental(rental=rental, days=2, by=resident, now=NOW + dt.timedelta(days=5))

    assert refused.value.code == "extension_overdue"
    assert state() == before


# --- eligibility and the yearly quota -------------------------------------------------------


def prove(member, programme, closet, staff, born=dt.date(2000, 5, 1), city="seoul"):
    return services.record_proof(
        member=member,
        programme=programme,
        birth_date=born,
        residence_city=city,
        by=staff,
        place=closet,
        now=NOW,
    )


def test_free_programme_without_proof_is_refused_with_the_reason_and_changes_nothing(
    resident, outfit, free_programme, closet, closet_volunteer
):
    before = state()

    with pytest.raises(exceptions.NotEligible) as refused:
        services.rent_outfit(
            member=resident,
            garments=outfit,
            programme=free_programme,
            place=closet,
            by=closet_volunteer,
            now=NOW,
        )

    assert refused.value.reasons == ["no_proof"]
    assert "proof" in str(refused.value.message)
    assert state() == before


def test_eligibility_refuses_age_and_residence_with_reasons_and_changes_nothing(
    resident, outfit, free_programme, closet, closet_volunteer
):
    prove(
        resident, free_programme, closet, closet_volunteer, born=dt.date(1980, 1, 1), city="busan"
    )
    before = state()

    with pytest.raises(exceptions.NotEligible) as refused:
        services.rent_outfit(
            member=resident,
            garments=outfit,
            programme=free_programme,
            place=closet,
            by=closet_volunteer,
            now=NOW,
        )

    assert refused.value.reasons == ["too_old", "not_resident"]
    assert "34" in str(refused.value.message) and "residents" in str(refused.value.message)
    assert refused.value.http_status == 409
    assert state() == before


def test_the_yearly_quota_refuses_the_next_rental_and_changes_nothing(
    resident, outfit, free_programme, closet, closet_volunteer
):
    prove(resident, free_programme, closet, closet_volunteer)
    for n in range(2):  # the quota is 2 a year in this test
        rental = services.rent_outfit(
            member=resident,
            garments=[outfit[n]],
            programme=free_programme,
            place=closet,
            by=closet_volunteer,
            now=NOW,
        )
        services.return_garments(
            rental=rental, garments=[outfit[n]], by=closet_volunteer, care="available", now=NOW
        )
    before = state()

    with pytest.raises(exceptions.NotEligible) as refused:
        services.rent_outfit(
            member=resident,
            garments=[outfit[2]],
            programme=free_programme,
            place=closet,
            by=closet_volunteer,
            now=NOW,
        )

    assert refused.value.reasons == ["quota"] and "2" in str(refused.value.message)
    assert state() == before
    next_year = NOW.replace(year=2027, month=1, day=5)
    services.rent_outfit(
        member=resident,
        garments=[outfit[2]],
        programme=free_programme,
        place=closet,
        by=closet_volunteer,
        now=next_year,
    )


def test_only_closet_staff_record_proof(resident, free_programme, closet, volunteer_elsewhere):
    with pytest.raises(exceptions.NotClosetStaff):
        prove(resident, free_programme, closet, volunteer_elsewhere)

    assert not EligibilityProof.objects.exists()


# --- letters, feedback, follow-up -----------------------------------------------------------


def test_thank_you_letter_reaches_the_donor_once(
    resident, make_member, make_garment, paid_programme, closet, closet_volunteer
):
    donor = make_member("donor")
    donation = services.register_donation(
        donor=donor, place=closet, letter="힘내세요!", by=closet_volunteer, now=NOW
    )
    jacket = make_garment("jacket", bust=96, arm=60)
    Garment.objects.filter(pk=jacket.pk).update(donation=donation)
    rental = services.rent_outfit(
        member=resident,
        garments=[jacket],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    for _ in range(2):
        services.write_thanks(
            rental=rental,
            donation=donation,
            text="덕분에 합격했어요",
            may_publish=True,
            by=resident,
            now=NOW,
        )

    letter = ThankYouLetter.objects.get()
    assert (letter.text, letter.may_publish) == ("덕분에 합격했어요", True)
    notice = Notice.objects.get(kind="closet_thanks")
    assert notice.recipient == donor and notice.subject_id == str(letter.pk)


def test_thanks_for_a_garment_without_a_letter_is_refused(
    resident, outfit, paid_programme, closet, closet_volunteer, make_member
):
    other = Donation.objects.create(
        donor=make_member("donor"), place=closet, letter="x", created_at=NOW
    )
    rental = services.rent_outfit(
        member=resident,
        garments=outfit[:1],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )

    with pytest.raises(exceptions.NothingToThank):
        services.write_thanks(
            rental=rental, donation=other, text="hi", may_publish=False, by=resident
        )

    assert not ThankYouLetter.objects.exists()


def test_follow_up_asks_once_after_the_interview_and_the_answer_is_kept(
    resident, outfit, paid_programme, closet, closet_volunteer, profile
):
    rental = services.rent_outfit(
        member=resident,
        garments=outfit[:1],
        programme=paid_programme,
        place=closet,
        by=closet_volunteer,
        now=NOW,
    )
    assert reminders.sweep_follow_ups(today=TODAY + dt.timedelta(days=2), now=NOW) == 0

    after = TODAY + dt.timedelta(days=3)
    created = reminders.sweep_follow_ups(today=after, now=NOW)
    again = reminders.sweep_follow_ups(today=after, now=NOW)
    services.answer_follow_up(rental=rental, outcome="got_job", by=resident, now=NOW)

    assert created >= 1 and again == 0
    assert Notice.objects.filter(kind="closet_follow_up", recipient=resident).exists()
    rental.refresh_from_db()
    assert rental.outcome == "got_job"
    assert reminders.sweep_follow_ups(today=after + dt.timedelta(days=1), now=NOW) == 0


def test_fitting_reminder_is_created_once_the_day_before(resident, slot):
    services.book_fitting(member=resident, slot=slot, by=resident, now=NOW)

    early = reminders.sweep_fitting_reminders(now=slot.starts_at - dt.timedelta(hours=30))
    created = reminders.sweep_fitting_reminders(now=slot.starts_at - dt.timedelta(hours=20))
    again = reminders.sweep_fitting_reminders(now=slot.starts_at - dt.timedelta(hours=19))

    assert early == 0 and created >= 1 and again == 0
    assert Notice.objects.filter(kind="closet_fitting_reminder", recipient=resident).exists()


def test_coach_notes_are_written_by_the_coach_only(resident, session, other_resident):
    services.book_coaching(member=resident, session=session, by=resident, now=NOW)

    with pytest.raises(exceptions.NotACoach):
        services.write_coaching_notes(session=session, notes="x", by=other_resident)
    services.write_coaching_notes(session=session, notes="결론부터 말하기", by=session.coach.user)

    session.refresh_from_db()
    assert session.notes == "결론부터 말하기"
