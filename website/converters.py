"""Path converters for the project's URLs: a value that could never name a row does not
match, so the visitor gets a 404 and no database ever sees it (an id past 2⁶³ overflows
SQLite, a NUL byte is refused by PostgreSQL, a 10 KB string is nobody's code)."""

from django.urls import register_converter

# The largest id a 64-bit signed primary key can hold, on SQLite and PostgreSQL alike.
MAX_DATABASE_ID = 2**63 - 1


class IdConverter:
    """A positive database id."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_DATABASE_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class CodeConverter:
    """A short code of letters, digits and dashes: certificate codes, StreamField block ids."""

    regex = "[A-Za-z0-9-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class TokenConverter(CodeConverter):
    """A URL-safe secret token (``secrets.token_urlsafe``)."""

    regex = "[A-Za-z0-9_-]{1,128}"


def converters_register() -> None:
    register_converter(IdConverter, "id")
    register_converter(CodeConverter, "code")
    register_converter(TokenConverter, "token")
