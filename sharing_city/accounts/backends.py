"""Log in with a username or an email address; demo accounts only on demo sites."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User


def demo_logins_allowed() -> bool:
    return bool(settings.DEBUG or settings.ALLOW_DEMO_LOGINS)


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        field = "email__iexact" if "@" in username else "username"
        user = User.objects.filter(**{field: username}).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.is_demo and not demo_logins_allowed():
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: int) -> User | None:  # type: ignore[override]
        user = super().get_user(user_id)
        if user is not None and user.is_demo and not demo_logins_allowed():
            return None
        return user  # type: ignore[return-value]
