#!/usr/bin/env bash
# Builds the spell-check dictionaries the app ships (resources/dictionaries/*.bdic), so Electron's
# checker never asks Chromium's CDN for them. Chromium reads only its own binary format (.bdic), made
# from Hunspell's .aff/.dic by its converter; Debian ships that converter with Qt WebEngine's tools.
#
#   apt-get install -y qtwebengine5-dev-tools libqt5webengine-data hunspell-en-us hunspell-en-gb hunspell-en-au
#   scripts/make-dictionaries.sh            # writes resources/dictionaries/en-US-10-1.bdic, …
#
# (The converter refuses to start without Qt WebEngine's resource directory, hence libqt5webengine-data.)
# Each dictionary's Debian copyright file goes beside it (licenses/), as its licence asks: the word
# lists are SCOWL's (Kevin Atkinson's permissive licence) for all three.
#
# The file names are the ones Chromium looks for in <sessionData>/Dictionaries (language, then the
# dictionary version it expects: en-* are 10-1). src-main/electron/spellcheck-plan.ts lists the same
# names; keep the two in step when a language is added. Run it again after a Debian dictionary update
# and commit the result (the .bdic files are build inputs, checked in like icons).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/resources/dictionaries"
hunspell_dir="${HUNSPELL_DIR:-/usr/share/hunspell}"
converter="$(command -v qwebengine_convert_dict || true)"
if [[ -z "$converter" && -x /usr/lib/qt5/bin/qwebengine_convert_dict ]]; then
  converter=/usr/lib/qt5/bin/qwebengine_convert_dict
fi
if [[ -z "$converter" ]]; then
  echo "make-dictionaries: qwebengine_convert_dict not found (apt-get install qtwebengine5-dev-tools)" >&2
  exit 2
fi

# Hunspell name, Chromium file name (without .bdic), Debian package
languages=(
  "en_US en-US-10-1 hunspell-en-us"
  "en_GB en-GB-10-1 hunspell-en-gb"
  "en_AU en-AU-10-1 hunspell-en-au"
)

mkdir -p "$out/licenses"
for pair in "${languages[@]}"; do
  read -r source target package <<<"$pair"
  for ext in aff dic; do
    if [[ ! -f "$hunspell_dir/$source.$ext" ]]; then
      echo "make-dictionaries: $hunspell_dir/$source.$ext is missing (apt-get install $package)" >&2
      exit 2
    fi
  done
  # The converter wants the .aff beside the .dic and writes the .bdic it is given.
  "$converter" "$hunspell_dir/$source.dic" "$out/$target.bdic.tmp" >/dev/null
  mv -f "$out/$target.bdic.tmp" "$out/$target.bdic"
  cp "/usr/share/doc/$package/copyright" "$out/licenses/$target.copyright.txt"
  echo "make-dictionaries: $target.bdic ($(wc -c <"$out/$target.bdic") bytes) from $source"
done
