"""The lock-out backend: django-axes for every sign-in that comes with a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """As AxesStandaloneBackend, but a check of credentials without a request (a management
    command, the test client's login()) has no client address to count and is let through to
    the next backend rather than refused: every web and admin sign-in passes its request."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
