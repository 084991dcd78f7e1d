"""The assistance app's writes, one module per part (scope -> validate -> one transaction -> audit ->
event): ``cases`` (the case lifecycle every part uses), ``recognitions``, ``zero`` (zero-employment
households and capacity marks), ``posts`` (public-welfare posts)."""
