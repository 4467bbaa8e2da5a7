"""Labels that depend on more than one field: ``{{ submission|state_label }}`` reads 已撤销
(Revoked, with date and reason) for a certified submission whose certification was revoked."""

from django import template

from assessment import presentation

register = template.Library()


@register.filter
def state_label(submission) -> str:
    return presentation.submission_state_label(submission)


@register.filter
def state_class(submission) -> str:
    """The badge's CSS state: ``revoked`` for a revoked certification, else the state."""
    return "revoked" if presentation.submission_is_revoked(submission) else submission.state
