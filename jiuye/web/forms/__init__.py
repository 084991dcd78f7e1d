"""Workbench forms, one module per domain (a wing). They only parse input; every rule is checked by the
app's services, and every list is filtered by its queries (a search form builds the query's search)."""
