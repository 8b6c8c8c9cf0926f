from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "lending"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sharing_city.accounts.models import District

        from . import notices
        from .models import Category, Place
        from .reference import forget

        notices.register_all()
        from . import rights

        rights.register()
        for model in (Category, Place, District):  # the cached reference lists
            post_save.connect(forget, sender=model, dispatch_uid=f"reference-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"reference-{model.__name__}-d")
