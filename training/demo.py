"""Demo data for the training app, used by the seed_demo command."""


def seed_training() -> None:
    """Add this app's part of the demo world; running it again adds nothing new."""
