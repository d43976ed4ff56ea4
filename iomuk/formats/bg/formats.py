# Bulgarian: "15 декември 2026 г."; month and weekday names are lower case, as Bulgarian
# writes them (locale/bg overrides Django's capitalised names).
DATE_FORMAT = "j F Y г."
DATETIME_FORMAT = "j F Y г., H:i"
WEEKDAY_DATE_FORMAT = "l, j F Y г."
WEEKDAY_DATETIME_FORMAT = "l, j F Y г., H:i"
