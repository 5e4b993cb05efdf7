"""The home screen: what is due today, the streak, and the way into practice."""
