"""The core app keeps no tables of its own."""
