import rules


@rules.predicate
def is_ministry(user) -> bool:
    """Admin Kementerian (the Ministry's secretariat). Role data lives on accounts.User."""
    return bool(getattr(user, "is_ministry", False))


rules.add_perm("core.view_audit_log", is_ministry)
