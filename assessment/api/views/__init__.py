"""API views by resource. Each is thin: scope through assessment.permissions, write through a
service, serialize the result."""
