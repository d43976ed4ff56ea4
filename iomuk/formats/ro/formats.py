# Romanian: "15 decembrie 2026"; month and weekday names are lower case, as Romanian writes
# them (locale/ro overrides Django's capitalised names).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
WEEKDAY_DATE_FORMAT = "l, j F Y"
WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"
