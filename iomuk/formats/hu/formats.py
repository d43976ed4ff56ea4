# Hungarian: year first, "2026. december 15."; the weekday follows in brackets.
DATE_FORMAT = "Y. F j."
DATETIME_FORMAT = "Y. F j. H:i"
WEEKDAY_DATE_FORMAT = "Y. F j. (l)"
WEEKDAY_DATETIME_FORMAT = "Y. F j. (l) H:i"
