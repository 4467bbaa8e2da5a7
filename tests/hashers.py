"""Password hashing for the test run only (Django's advice for fast tests)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Production's algorithm and hash format with few rounds.

    Each sign-in, password change and password-history check costs 0.5 s at production's
    1,500,000 rounds; the servers the deployment tests start in their own processes still verify
    these hashes, as the iteration count is part of the hash.
    """

    iterations = 1_000
