"""Returns has no tasks of its own: retention runs for every app from iomuk.tasks."""
