# Dates with the month as a word, day first, as the Dutch interface has them: "29 Oct 2026"
# (never 10/29 against 29-10). Every date-time reads "2 Dec 2026, 10:05".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
