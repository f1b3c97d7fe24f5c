"""API for the replication app: serializers and viewsets, registered on the v1 router."""


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
