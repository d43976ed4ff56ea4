# The portal's long dates in English: "15 December 2026" (Django's en-gb says "15 Dec 2026").
# WEEKDAY_* are the portal's own: read by iomuk.dates, not by Django.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"
