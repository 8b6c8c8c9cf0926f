"""The notice log (one row per subject, kind and step) lands with the reminders work."""
