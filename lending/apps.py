from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "lending"

    def ready(self) -> None:
        from . import notices

        notices.register_all()
