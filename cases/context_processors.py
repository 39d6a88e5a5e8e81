def organisation(request):
    user = getattr(request, "user", None)
    kommune = getattr(user, "kommune", None) if user is not None and user.is_authenticated else None
    return {"aktuel_kommune": kommune}
