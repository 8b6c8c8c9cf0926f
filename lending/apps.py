from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "lending"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sharing_city.accounts.models import District

        from . import notices, search
        from .models import Category, Place, Title
        from .reference import forget

        notices.register_all()
        from . import rights

        rights.register()
        for model in (Category, Place, District):  # the cached reference lists
            post_save.connect(forget, sender=model, dispatch_uid=f"reference-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"reference-{model.__name__}-d")
        # The cached typo matches (lending/search.py): a title's searchable text changed.
        post_save.connect(search.forget_titles, sender=Title, dispatch_uid="search-title")
        post_delete.connect(search.forget_titles, sender=Title, dispatch_uid="search-title-d")
