"""Import kinds of the assistance app, registered with the shared import engine in apps.py."""
