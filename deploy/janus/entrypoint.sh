#!/bin/bash
# Renders the Janus config from the environment and runs Janus in the foreground.
set -euo pipefail
: "${TOKEN_SECRET:?set TOKEN_SECRET to the Api's Streams__Janus__TokenSecret}"
: "${ADMIN_KEY:?set ADMIN_KEY to the Api's Streams__Janus__AdminKey}"
prefix=/var/lib/wg-janus
libdir="$(dirname "$(ls -d /usr/lib/*/janus/plugins | head -n 1)")"
for template in /etc/janus/wg/*.template; do
    sed -e "s|@@CONFIGS@@|$prefix|g" \
        -e "s|@@LIBDIR@@|$libdir|g" \
        -e "s|@@TOKEN_SECRET@@|$TOKEN_SECRET|g" \
        -e "s|@@ADMIN_SECRET@@|$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')|g" \
        -e "s|@@ADMIN_KEY@@|$ADMIN_KEY|g" \
        -e "s|@@RTP_PORT_RANGE@@|${RTP_PORT_RANGE:-20000-20099}|g" \
        -e "s|@@ICE_ENFORCE_LIST@@|${ICE_ENFORCE_LIST:-eth0}|g" \
        -e "s|@@HTTP_PORT@@|8188|g" \
        -e "s|@@HTTP_IP@@|0.0.0.0|g" \
        -e "s|@@ALLOW_ORIGIN@@|${ALLOW_ORIGIN:-*}|g" \
        "$template" >"$prefix/$(basename "$template" .template)"
done
if [[ -n "${PUBLIC_IP:-}" ]]; then
    exec janus -C "$prefix/janus.jcfg" -F "$prefix" --nat-1-1="$PUBLIC_IP"
fi
exec janus -C "$prefix/janus.jcfg" -F "$prefix"
