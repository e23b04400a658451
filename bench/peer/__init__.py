"""Atiende and django-helpdesk side by side on the same data (`python -m bench.peer`, or
`python -m bench.run --peer`). See docs/benchmarks.md."""
