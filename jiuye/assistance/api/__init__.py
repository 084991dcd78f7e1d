"""The assistance app's API routers (thin: they call queries and services), one module per part;
jiuye/api.py mounts them under /api/v1."""
