"""Demo data for `flask --app wsgi seed-demo`: the ten units of North Maluku and their goods."""
