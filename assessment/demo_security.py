"""Demo accounts of the three separated administrators (系统/安全/审计管理员)."""

from assessment.models import Role, User
from assessment.models.people import AdminDuty

SECURITY_DEMO_ACCOUNTS = [
    ("sysadmin@demo.cn", AdminDuty.SYSTEM, "系统管理员（三权分立）"),
    ("secadmin@demo.cn", AdminDuty.SECURITY, "安全管理员"),
    ("auditadmin@demo.cn", AdminDuty.AUDIT, "审计管理员"),
]


def seed_security_admins(password_hash: str) -> int:
    User.objects.bulk_create(
        User(
            email=email,
            full_name=name,
            role=Role.ADMIN,
            admin_duty=duty,
            is_staff=True,
            is_national=duty == AdminDuty.SYSTEM,
            password=password_hash,
        )
        for email, duty, name in SECURITY_DEMO_ACCOUNTS
    )
    return len(SECURITY_DEMO_ACCOUNTS)
