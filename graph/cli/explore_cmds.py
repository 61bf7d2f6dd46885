"""Exploration commands (stats, render): being written."""
