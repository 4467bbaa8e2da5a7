"""Security controls (GB/T 22239-2019 level 3): lock-out, passwords, two-factor sign-in,
sessions, the separated administrators and the security audit trail. See docs/security.md."""
