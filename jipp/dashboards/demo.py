"""Demo data: the dashboards hold no data of their own; compute the summaries of everything seeded."""


def seed(*, scale, rng, stdout) -> None:
    from jipp.dashboards.services.refresh import refresh_all

    refresh = refresh_all()
    stdout.write(f"  dashboard summaries for {refresh.agencies} agencies")
