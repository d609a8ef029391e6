"""Webhook messages: Standard Webhooks signing, one delivery attempt, and the retry schedule.

The same code serves the embedded default's outbox and the production webhook function.
"""
