from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Platform operator")
    REVIEWER = "reviewer", _("Reviewer")
    REGULATOR = "regulator", _("Regulator")
    EXPERT = "expert", _("Expert")
    ADMIN = "admin", _("Administrator")


class AdminDuty(models.TextChoices):
    """三权分立: an administrator holds exactly one of these duties."""

    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN, is_national=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address. Scope comes from role, organisation, regions."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(
        "assessment.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Operators only: the organisation they act for."),
    )
    regions = models.ManyToManyField(
        "assessment.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="officials",
        help_text=_("Reviewers and regulators: the provinces or cities they are responsible for."),
    )
    # A national reviewer signs off leading and ecosystem tiers; a national regulator sees all.
    is_national = models.BooleanField(_("national level"), default=False)
    is_lead_reviewer = models.BooleanField(_("lead reviewer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Administrators only: system (users, regions, cycles), security (roles, lock-outs,
    # tokens) or audit (reads and exports the audit trail).
    admin_duty = models.CharField(
        _("administrator duty"), max_length=10, choices=AdminDuty.choices, blank=True
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Set for invited accounts and passwords set by someone else: change before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    last_login_ip = models.GenericIPAddressField(_("last sign-in from"), null=True, blank=True)
    # The sign-in before this one, shown after signing in.
    previous_login_at = models.DateTimeField(_("previous sign-in"), null=True, blank=True)
    previous_login_ip = models.GenericIPAddressField(
        _("previous sign-in from"), null=True, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="operator") | models.Q(organisation__isnull=False),
                name="operator_has_organisation",
            )
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_regulator(self) -> bool:
        return self.role == Role.REGULATOR

    @property
    def is_admin(self) -> bool:
        """The system administrator (or a superuser): sees everything. The security and audit
        administrators do their own work in the Django admin and see no assessment data."""
        if self.is_superuser:
            return True
        return self.role == Role.ADMIN and self.admin_duty in ("", AdminDuty.SYSTEM)
