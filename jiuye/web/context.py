from jiuye.accounts import roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_read_registry": roles.can_read_registry(user),
        "can_write_registry": roles.can_write_registry(user),
        "can_import": roles.can_import(user),
        "can_read_audit": roles.can_read_audit(user),
    }
