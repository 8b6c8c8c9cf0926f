"""A notice kind for the tests of this app, with a real subject: a member who has not yet had
their identity checked at a desk is reminded to come in. Once verified, the reminder is moot."""

from sharing_city.notifications.kinds import NoticeKind, register

VERIFY_REMINDER = register(
    NoticeKind(
        name="test_verify_reminder",
        label="Verify your membership",
        template_prefix="notices_test/verify",
        still_due=lambda notice, now: not notice.recipient.is_verified,
        link=lambda notice: "/accounts/profile/",
    )
)
