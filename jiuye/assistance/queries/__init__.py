"""The assistance app's scoped, set-based reads, one module per part (the only place a list is
filtered): ``cases``, ``recognitions``, ``zero``, ``posts``, ``ledgers``."""
