#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (headless Chromium for the browser tests,
# libseccomp2 for the SPARQL workers' socket filter).
# Idempotent: does nothing when they are there. Needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# libseccomp for the SPARQL query workers' socket filter (kgservice/web/sparqlsandbox.py)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing Debian packages: ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
