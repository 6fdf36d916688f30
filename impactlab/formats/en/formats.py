# Short dates with the month as a word: "29 Oct 2026" (never 10/29 against 29-10).
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
