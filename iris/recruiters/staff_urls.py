"""IRIS officers' pages for recruiters and their accreditation, under /staff/iris/recruiters/."""

app_name = "iris-recruiters"

urlpatterns = []
