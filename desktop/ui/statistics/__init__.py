"""The statistics screen: a progress report on screen, with its charts and an Export button."""
