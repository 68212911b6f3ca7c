"""Shared foundation every layer may import: settings, errors, Vietnamese text and number helpers.

It imports nothing else of ours, so it never creates an import cycle.
"""
