"""Workbench views, one module per domain (a wing): a new domain adds a module, a forms module and a
template folder (``templates/web/<domain>/``) instead of growing shared files.

Views are thin: parse the request, read through the app's ``queries`` (scoped), write through its
``services``, render. A ValidationError from a service goes back onto its form; PermissionDenied gives
the 403 page; a record outside the user's scope gives the 404 page (``queries.NotFound``)."""
