from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sharing_city.accounts"
    label = "accounts"

    def ready(self) -> None:
        from .access_log import register_rights
        from .rights import register_not_exported

        register_rights()
        from django.contrib.auth.signals import user_logged_in

        from .consent import on_login, register_consent_rights

        user_logged_in.connect(on_login, dispatch_uid="accounts-consent-on-login")
        register_consent_rights()

        register_not_exported("admin.LogEntry.user", "a city admin's own log of admin work")
        register_not_exported("authtoken.Token.user", "an API credential, never shown again")
        register_not_exported("authtoken.TokenProxy.user", "an API credential, never shown again")
        for label in ("accounts.User_groups.user", "accounts.User_user_permissions.user"):
            register_not_exported(label, "admin permissions (the member's role is exported)")
