"""Forms for signing in and for a user's own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Isi nama pengguna.")), Length(max=40)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])
    next = HiddenField()


class PasswordForm(FlaskForm):
    """Changing one's own password."""

    current = PasswordField(_l("Kata sandi sekarang"), validators=[DataRequired(_l("Isi kata sandi sekarang."))])
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi baru."))])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[EqualTo("password", _l("Kedua kata sandi baru tidak sama."))],
    )


class TokenForm(FlaskForm):
    """Naming a new API token."""

    name = StringField(
        _l("Nama token (misalnya: Tablet Kecamatan Bekasi Timur)"),
        validators=[DataRequired(_l("Beri nama token.")), Length(max=80)],
    )


class LanguageForm(FlaskForm):
    """Choosing the interface language."""

    lang = SelectField(_l("Bahasa"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for plain buttons (sign out, revoke)."""
