"""Writes of the dashboards app: the summary refresh (`refresh`) and the reports (`reports`)."""
