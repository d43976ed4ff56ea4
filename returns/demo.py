"""Demo data for the returns app, used by the seed_demo command."""


def seed_returns() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
