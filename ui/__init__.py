"""Brieventafel's widgets. Imports ``app``; ``app`` never imports ``ui``."""
