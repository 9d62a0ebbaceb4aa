#!/bin/sh
# Debian packages ailit needs: fonts for plots and handouts in every script (Typst, a
# Python wheel, reads the Noto and DejaVu files itself); for the tests Chromium, the gettext tools, poppler-utils and npm
# (browser); zimcheck and kiwix-serve (zim). As root on Debian/Ubuntu they are installed;
# elsewhere the script stops with one line naming what is missing.
set -eu
need=""
case "${1:-fonts}" in
  fonts)
    fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need="$need fonts-noto-cjk"
    fc-list 2>/dev/null | grep -q "Noto Naskh Arabic\|Noto Sans Arabic" || need="$need fonts-noto-core"
    fc-list 2>/dev/null | grep -q "DejaVu Sans Mono" || need="$need fonts-dejavu-core"
    ;;
  browser)
    command -v chromium >/dev/null 2>&1 || need="$need chromium"
    command -v msgfmt >/dev/null 2>&1 || need="$need gettext"
    command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"  # reads the handouts
    command -v npm >/dev/null 2>&1 || need="$need npm"  # installs axe-core for the a11y tests
    ;;
  zim)
    command -v zimcheck >/dev/null 2>&1 || need="$need zim-tools"
    command -v kiwix-serve >/dev/null 2>&1 || need="$need kiwix-tools"
    ;;
esac
[ -z "$need" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages:$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need fontconfig >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi
echo "missing system packages:$need (install them with: sudo apt-get install$need)"
exit 1
