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
    _("this expense of %(amount)s would overspend the balance of %(balance)s"),
    _("an expense must be more than zero"),
    _("an allocation must be more than zero"),
    _("a reversing entry cannot itself be reversed"),
    _("this expense has already been reversed"),
    _("not an expense of this studio"),
    _("an application in status %(status)s cannot take the step %(step)s"),
    _("%(county)s has used its quota of %(quota)s recommendations for %(year)s"),
    _("the qualification check must pass (no criterion unmet or pending) before the notice"),
    _("the public notice runs until %(date)s"),
    _("a rejection needs a reason"),
    _("only a draft can be changed"),
    _("not a criterion a reviewer judges"),
    _("not a plausible value"),
    _("not a plausible year"),
    _("an amount has at most two decimals (fen)"),
    _("an amount cannot be negative"),
    _("an amount is required"),
    _("an amount is too large"),
    _("an amount is too long"),
    _("not an amount"),
    _("this form was already submitted"),
    _("%(value)s is below the least value %(bound)s"),
    _("%(value)s is above the greatest value %(bound)s"),
    _("an assessment is recorded only for an active or completed studio, or an application under review"),
]

#: refusals of an uploaded workbook (core.spreadsheets.ImportRefused)
IMPORT = [
    _("not an .xlsx workbook (%(error)s)"),
    _("the workbook unpacks to more than %(mb)s MB"),
    _("the file is larger than %(mb)s MB"),
    _("the workbook contains XML that is refused (%(error)s)"),
    _("the workbook has no sheet named %(sheet)s (download the template)"),
    _("the sheet %(sheet)s has no header row"),
    _("the sheet %(sheet)s has more than %(rows)s rows"),
    _("the sheet %(sheet)s has more than %(cells)s cells"),
    _("row %(row)s of the sheet %(sheet)s has more than %(columns)s columns"),
    _("a cell of row %(row)s of the sheet %(sheet)s has more than %(chars)s characters"),
    _("a cell has more than %(chars)s characters"),
]

#: the audit log's sentences (core.services.audit_text), translated with this catalog
AUDIT = [
    _("%(who)s on %(date)s added %(person)s to %(studio)s"),
    _("%(who)s on %(date)s removed %(person)s from %(studio)s: %(reason)s"),
    _("On %(date)s the rule %(rule)s removed %(person)s from %(studio)s: %(reason)s"),
    _("%(who)s on %(date)s changed the record of %(person)s in %(studio)s"),
    _("%(who)s on %(date)s created the record of %(person)s"),
    _("%(who)s on %(date)s recorded the activity “%(title)s” of %(studio)s"),
    _("%(who)s on %(date)s recorded the output “%(title)s” of %(studio)s"),
    _("%(who)s on %(date)s recorded the student award “%(title)s” of %(studio)s"),
    _("%(who)s on %(date)s changed the record of %(studio)s"),
    _("%(who)s signed in on %(date)s"),
    _("On %(date)s a sign-in as %(username)s failed (from %(ip)s)"),
    _("%(who)s on %(date)s: %(action)s on %(entity)s no. %(id)s"),
    _("someone"),
    _("a deleted record"),
    _("the studio was changed by someone else since the form was loaded"),
    # refused by core.schemas.fields.Str
    _("contains a control character"),
]
