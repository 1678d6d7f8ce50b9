#!/usr/bin/env bash
# Extract, update and compile one package's message catalog (Chinese: the zh_Hans_CN folder,
# which is where Babel looks for zh_CN — see shared/PITFALLS.md).
#
#   tools/i18n.sh plugins/shenyang mingshi_shenyang   # a jurisdiction's rule explanations
#   tools/i18n.sh web mingshi_web                     # the web interface
#
# Then translate the new entries in <dir>/translations/zh_Hans_CN/LC_MESSAGES/<domain>.po and
# run it again to compile. The .mo files are committed so that a fresh clone shows Chinese.
set -euo pipefail
dir=${1:?package folder}
domain=${2:?catalog domain}
bin=$(dirname "$(command -v python)")
pybabel=${PYBABEL:-$bin/pybabel}
[ -x "$pybabel" ] || pybabel=pybabel
out=$dir/translations
mkdir -p "$out"
cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
printf '[python: **.py]\n[jinja2: **/templates/**.html]\n' > "$cfg"
"$pybabel" -q extract -F "$cfg" --no-location --sort-output -k _ -k lazy_gettext -o "$out/$domain.pot" "$dir"
po=$out/zh_Hans_CN/LC_MESSAGES/$domain.po
if [ -f "$po" ]; then
  "$pybabel" -q update --no-fuzzy-matching -i "$out/$domain.pot" -d "$out" -D "$domain" -l zh_Hans_CN
else
  "$pybabel" -q init -i "$out/$domain.pot" -d "$out" -D "$domain" -l zh_Hans_CN
fi
"$pybabel" -q compile -d "$out" -D "$domain" -l zh_Hans_CN
untranslated=$(python - "$po" <<'PY'
import sys
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as fh:
    catalog = read_po(fh)
print(sum(1 for m in catalog if m.id and (not m.string or m.fuzzy)))
PY
)
echo "$po: $untranslated untranslated"
