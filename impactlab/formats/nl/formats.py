# Short dates as Dutch writes them, month in lower case: "29 okt 2026", "3 mei 2026"
# (Django's own "j M Y" gives "29 Okt 2026").
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
