"""Demo data for the iris app, used by the seed_demo command."""


def seed_iris() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
