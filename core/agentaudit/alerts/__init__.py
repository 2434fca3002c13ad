"""Alerts: webhooks an organisation configures to hear about blocks, reviews, critical calls
and approval outcomes as they are stored (docs/webhooks.md).

models.py   what a webhook and a delivery are
store.py    the SQL mixin both stores use (tables of migration 0026)
ssrf.py     which targets may be called (no loopback, private, link-local… by default)
format.py   the alert's body (json or slack) and its signature
dispatcher.py  the background queue that delivers, retries and logs
"""
