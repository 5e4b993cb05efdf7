"""The models screen and the controller that loads models and measures their reliability."""
