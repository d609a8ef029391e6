"""Adapters: implementations of the ports for one deployment each."""
