"""Messages that reach the page from the core (validation and refusals), marked for translation.

The core speaks English; the web translates what it shows. Listing them here lets
``tools/i18n.sh web mingshi_web`` extract them into the web catalog.
"""

from flask_babel import lazy_gettext as _

VALIDATION = [
    _("missing"),
    _("may not be empty"),
    _("not a date"),
    _("not a whole number"),
    _("not true or false"),
    _("not a text"),
    _("not a number"),
    _("not a valid choice"),
    _("already a member of this studio"),
    _("only the city administrator appoints a host"),
    _("choose a person or enter a name"),
    _("this member has already left"),
    _("before the member joined"),
    _("after the member left"),
    _("a leader is not in the studio on that date"),
    _("attendance names someone who is not in the studio on that date"),
    _("leave approved after the activity does not excuse it"),
    _("an excused absence needs the date the leave was approved"),
    _("not a plausible date"),
    _("not a plausible number of characters"),
    _("you may not see this studio"),
    _("only the studio's host or the city administrator may change this studio"),
    _("only the city administrator may do this"),
]
