"""A producer's own login, as opposed to a helper's or a staff member's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerLogin(models.Model):
    """Marks the user who *is* the producer (made with it by `create_producer`): staff and
    its helpers may give it a new password, and it signs in with its mobile number as well
    as its username. Helpers are plain editors of the producer's group, with no row here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_login"
    )
    producer = models.ForeignKey(
        "catalogue.ProducerPage", on_delete=models.CASCADE, related_name="logins"
    )
    # Normalised as 0xxxxxxxxx (catalogue.logins.login_phone); one login per number.
    phone = models.CharField(_("số điện thoại đăng nhập"), max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="one_login_per_phone"
            )
        ]
        verbose_name = _("tài khoản chủ thể OCOP")
        verbose_name_plural = _("tài khoản chủ thể OCOP")

    def __str__(self) -> str:
        return self.user.get_username()
