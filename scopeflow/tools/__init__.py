"""Inspection tools: variable tables and (later) graph export."""
