#!/usr/bin/env bash
# Installs the browsers the e2e suite runs in — Debian's chromium and firefox-esr, and WebKit as
# Debian's WebKitGTK with its WebDriver (webkit2gtk-driver) plus the X server it needs (xvfb,
# xauth) — when they are missing and we may install them (root with apt-get). Otherwise it only
# says what to do: the suite itself (e2e/browsers.ts, e2e/webkit/webdriver.ts) also finds browsers
# through VOLLEY_CHROMIUM / VOLLEY_FIREFOX / VOLLEY_WEBKIT_DRIVER and Playwright's own builds, and
# explains what is missing when it starts.
set -euo pipefail

# Same places as e2e/browsers.ts looks at (after the env overrides).
find_browser() {
  local override="$1"; shift
  if [ -n "$override" ]; then
    [ -x "$override" ] && { echo "$override"; return 0; }
    return 1
  fi
  local path
  for path in "$@"; do
    [ -x "$path" ] && { echo "$path"; return 0; }
  done
  return 1
}

# An explicit choice that is wrong is an error, not a reason to install something else.
for name in VOLLEY_CHROMIUM VOLLEY_FIREFOX VOLLEY_WEBKIT_DRIVER; do
  if [ -n "${!name:-}" ] && [ ! -x "${!name}" ]; then
    echo "e2e browsers: $name=${!name} is not an executable" >&2
    exit 1
  fi
done

missing=()
if chromium_path=$(find_browser "${VOLLEY_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome); then
  echo "e2e browsers: chromium at $chromium_path"
else
  missing+=(chromium)
fi
if firefox_path=$(find_browser "${VOLLEY_FIREFOX:-}" /usr/bin/firefox-esr /usr/bin/firefox); then
  echo "e2e browsers: firefox at $firefox_path"
else
  missing+=(firefox-esr)
fi

# WebKit: Playwright's own WebKit build cannot be downloaded here, so the WebKit run drives
# WebKitGTK's MiniBrowser through WebKitWebDriver, under Xvfb (no headless mode); xauth is what
# Xvfb needs to accept clients. Same places as e2e/webkit/webdriver.ts looks at.
if webkit_path=$(find_browser "${VOLLEY_WEBKIT_DRIVER:-}" /usr/bin/WebKitWebDriver /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKitWebDriver); then
  echo "e2e browsers: webkit (WebKitWebDriver) at $webkit_path"
else
  missing+=(webkit2gtk-driver)
fi
if xvfb_path=$(command -v Xvfb) && command -v xauth >/dev/null 2>&1; then
  echo "e2e browsers: Xvfb at $xvfb_path"
else
  missing+=(xvfb xauth)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "e2e browsers: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No recommends: webkit2gtk-driver alone would pull in a desktop's worth of packages.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "e2e browsers: installed ${missing[*]}"
  exit 0
fi

cat <<HELP
e2e browsers: missing ${missing[*]}, and cannot install them here (needs root and apt-get).
Do one of:
  - as root on Debian/Ubuntu:  apt-get update && apt-get install -y --no-install-recommends chromium firefox-esr webkit2gtk-driver xvfb xauth
  - Playwright's own builds:   npx playwright install chromium firefox   (WebKit: only Debian's WebKitGTK is supported)
  - point to executables:      VOLLEY_CHROMIUM=/path/to/chrome VOLLEY_FIREFOX=/path/to/firefox VOLLEY_WEBKIT_DRIVER=/path/to/WebKitWebDriver
The e2e suite (npm test) will fail until every browser is found; see e2e/README.md.
HELP
