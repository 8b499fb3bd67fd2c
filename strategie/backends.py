"""Sign-in: the user name without regard to case, or the e-mail address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class AnmeldeBackend(ModelBackend):
    """As Django's ModelBackend, but "Demo-Kusel" and "demo-kusel@demo.invalid" find the account "demo-kusel".

    An exact user name wins; otherwise the one account whose user name or e-mail address matches without regard
    to case. Several accounts sharing an e-mail address sign in only by user name (no guessing between them)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        eingabe = username.strip()
        user = User._default_manager.filter(username=eingabe).first()
        if user is None:
            treffer = list(User._default_manager.filter(Q(username__iexact=eingabe) | Q(email__iexact=eingabe))[:2])
            user = treffer[0] if len(treffer) == 1 else None
        if user is None:
            User().set_password(password)  # as ModelBackend: the same time whether the account exists or not
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
