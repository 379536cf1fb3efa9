#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (headless Chromium for the browser tests,
# Virtuoso for the remote backend's second engine,
# libseccomp2 for the SPARQL workers' socket filter, nginx for the reverse-proxy example's tests,
# libvoikko1 + voikko-fi for the Finnish search).
# Idempotent: does nothing when they are there. Needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# libseccomp for the SPARQL query workers' socket filter (kgservice/web/sparqlsandbox.py)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
# Voikko for the Finnish search (kgservice/terms/lemmas.py): the library and its dictionary
ldconfig -p 2>/dev/null | grep -q 'libvoikko\.so\.1' || need+=(libvoikko1)
[ -d /usr/lib/voikko ] || [ -d /usr/share/voikko ] || need+=(voikko-fi)
# Virtuoso, the second engine the remote backend's suites run against (tests/fixtures/
# virtuoso_server.py starts its own on loopback; the system service is not started, see below)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing Debian packages: ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# The tests run nginx themselves, on loopback ports; the package must not start the system
# service (it would listen on port 80 of every interface). A policy-rc.d that says "no"
# (exit 101) stops invoke-rc.d from starting anything while the packages are installed.
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
