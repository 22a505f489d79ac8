"""Placeholder wording (the owners' wording is never in the project) and check-ins."""

from wellbeing import instruments, services


def wording_csv(*keys: str, language: str = "en", reverse_column: bool = False) -> str:
    lines = ["instrument,language,item,text" + (",reverse" if reverse_column else "")]
    for key in keys:
        instrument = instruments.get(key)
        reverse = {r for s in instrument.subscales for r in s.reverse}
        for item in instrument.items:
            row = f"{key},{language},{item},Placeholder item {item} of {key}"
            if reverse_column:
                row += ",yes" if item in reverse else ","
            lines.append(row)
    return "\n".join(lines) + "\n"


def load_wording(*keys: str, language: str = "en") -> None:
    services.wording_load(text=wording_csv(*keys, language=language))


def pulse(user, answers=(3, 1, 3, 3, 1), *, now=None, note=""):
    """A weekly pulse: by default a steady week (75)."""
    return services.checkin_create(
        user=user,
        instrument_key="pulse",
        answers=dict(enumerate(answers, start=1)),
        note=note,
        now=now,
    )


HEAVY = (0, 4, 0, 0, 4)  # no energy, very stressed, no sleep, unsupported, very hard calls: 0
