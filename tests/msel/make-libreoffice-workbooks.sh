#!/bin/sh
# Writes the workbooks LibreOffice makes from the MSEL CSVs, which tests/msel_planner.rs checks
# import exactly as the CSVs do: LibreOffice's own CSV import decides the cell types (numbers as
# numbers, a clock time such as 09:00 as a time, everything else as text), as when a planner opens
# the CSV in LibreOffice Calc and saves it as .ods or .xlsx.
#
#   apt-get install --no-install-recommends libreoffice-calc-nogui   # 7.4 on Debian 12
#   sh tests/msel/make-libreoffice-workbooks.sh
set -eu
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert() { # CSV FORMAT OUTPUT
    # CSV filter options: comma-separated, double-quoted, UTF-8 (76), from line 1.
    soffice --headless "-env:UserInstallation=file://$work/profile" \
        --infilter="CSV:44,34,76,1" --convert-to "$2" --outdir "$work" "$1" >/dev/null
    mv "$work/$(basename "$1" .csv).$2" "$3"
}
convert examples/msel/regional-exercise.csv ods tests/msel/regional-exercise-libreoffice.ods
convert examples/msel/regional-exercise.csv xlsx tests/msel/regional-exercise-libreoffice.xlsx
convert tests/msel/planner-columns.csv ods tests/msel/planner-columns-libreoffice.ods
