"""Chart painters on any QPainter: bars, lines, and the report's charts built from them."""
