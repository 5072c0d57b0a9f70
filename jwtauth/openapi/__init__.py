"""OpenAPI description of jwtauth for drf-spectacular; jwtauth itself does not need it.

``JWTAuthConfig.ready()`` imports ``endpoints`` (which imports the rest) only when
drf-spectacular is installed. A site's own views behind ``JWTAuthentication`` can list the
errors of that path with ``errors.bearer_errors()`` and its header with
``headers.www_authenticate()``::

    @extend_schema(parameters=[www_authenticate()], responses={200: Report, **bearer_errors()})

- ``security``: the Bearer scheme and the refresh cookie.
- ``bodies``: bodies the views do not serialize (refresh request, JWKS, revocation feed) and
  the user id's type.
- ``errors``: the ``{"detail", "code"}`` responses, with codes and statuses taken from the
  classes of ``jwtauth.exceptions``.
- ``headers``: ``Retry-After``, ``WWW-Authenticate``, ``Set-Cookie``, ``X-CSRFToken``.
- ``endpoints``: each jwtauth endpoint's description.
"""
