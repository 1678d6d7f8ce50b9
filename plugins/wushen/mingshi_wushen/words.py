"""Names of codes used inside explanations, as catalog entries so they render in either language."""

from __future__ import annotations

from mingshi.jurisdiction import Text

from .i18n import _


def level_name(level: str | None) -> Text:
    names = {
        "school": _("school level"),
        "county": _("banner (county) level"),
        "municipal": _("municipal level"),
        "provincial": _("provincial level"),
        "national": _("national level"),
    }
    return names.get(level or "", _("none"))


def position_name(position: str | None) -> Text:
    names = {
        "teacher": _("teacher"),
        "principal": _("principal"),
        "vice_principal": _("vice principal"),
        "researcher": _("teaching researcher"),
    }
    return names.get(position or "", _("not recorded"))


def honor_name(honor: str) -> Text:
    names = {
        "basic_skills_first_prize": _("first prize of a basic teaching skills contest"),
        "moral_education_first_prize": _("first prize of a moral education contest"),
    }
    return names.get(honor, _("other honour"))
