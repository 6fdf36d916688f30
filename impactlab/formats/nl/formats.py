# Short dates as Dutch writes them, month in lower case: "29 okt 2026", "3 mei 2026"
# (Django's own "j M Y" gives "29 Okt 2026"). Every date-time reads "2 dec 2026, 10:05",
# with the comma, also where a template prints a date-time without a format.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j b Y, H:i"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
