"""Fill a .po catalog's empty translations from a Python dict (used once per batch of new messages).

python tools/fill_po.py CATALOG.po TRANSLATIONS.py   # TRANSLATIONS.py defines ZH = {msgid: msgstr}
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po

catalog_path, table_path = sys.argv[1], sys.argv[2]
table = runpy.run_path(table_path)["ZH"]
with open(catalog_path, "rb") as fh:
    catalog = read_po(fh)
filled = 0
for message in catalog:
    if message.id and not message.string and message.id in table:
        message.string = table[message.id]
        message.flags.discard("fuzzy")
        filled += 1
with open(catalog_path, "wb") as fh:
    write_po(fh, catalog, omit_header=False, sort_output=True)
missing = [m.id for m in catalog if m.id and not m.string]
print(f"filled {filled}; still untranslated: {missing}")
