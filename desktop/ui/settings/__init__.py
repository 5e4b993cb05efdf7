"""The settings screen: scheduling, appearance, where the data lives, backups."""
