"""Services of the root domain: memberships, invitations, security events."""
