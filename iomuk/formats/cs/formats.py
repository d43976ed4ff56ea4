# Czech: "15. prosince 2026", the month in the genitive (E), the day with a full stop.
DATE_FORMAT = "j. E Y"
DATETIME_FORMAT = "j. E Y, H:i"
WEEKDAY_DATE_FORMAT = "l j. E Y"
WEEKDAY_DATETIME_FORMAT = "l j. E Y, H:i"
