"""IRIS officers' pages for complaints, under /staff/iris/complaints/."""

app_name = "iris-complaints"

urlpatterns = []
