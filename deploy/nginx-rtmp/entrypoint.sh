#!/bin/bash
# Renders the ingest config from the environment and runs nginx in the foreground. PLAY_ALLOW
# (default 127.0.0.1) is the address or CIDR the Api's HLS worker plays the relay from.
set -euo pipefail
: "${API:?set API to the Api's host:port, e.g. api:8080}"
: "${INGEST_SECRET:?set INGEST_SECRET to the Api's Streams__IngestSecret}"
prefix=/var/lib/wg-nginx
sed -e "s|@@RTMP_MODULE@@|/usr/lib/nginx/modules/ngx_rtmp_module.so|g" \
    -e "s|@@USER_DIRECTIVE@@|user www-data www-data;|g" \
    -e "s|@@PREFIX@@|$prefix|g" \
    -e "s|@@RTMP_LISTEN@@|0.0.0.0:1935|g" \
    -e "s|@@RTMP_PORT@@|1935|g" \
    -e "s|@@HTTP_LISTEN@@|0.0.0.0:8088|g" \
    -e "s|@@API@@|$API|g" \
    -e "s|@@SECRET@@|$INGEST_SECRET|g" \
    -e "s|@@UPDATE_INTERVAL@@|10s|g" \
    -e "s|@@HLS_PATH@@|$prefix/hls|g" \
    -e "s|@@PLAY_ALLOW@@|${PLAY_ALLOW:-127.0.0.1}|g" \
    /etc/nginx/wg/nginx.conf.template > "$prefix/nginx.conf"
exec nginx -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;'
