"""Views of the impact app, one module per area: worksheet editing, feedback and review,
the starter-kit library, cohort-wide views, and reports and exports."""
