from .models import Notifikation


def organisation(request):
    user = getattr(request, "user", None)
    kommune = getattr(user, "kommune", None) if user is not None and user.is_authenticated else None
    context = {"aktuel_kommune": kommune}
    if kommune is not None:
        # Counted only when the menu shows it (a callable is evaluated by the template when used).
        context["ulaeste_notifikationer"] = lambda: Notifikation.objects.filter(
            modtager=user, laest__isnull=True
        ).count()
    return context
