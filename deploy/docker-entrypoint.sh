#!/bin/sh
# Runs the service as an unprivileged user. Ingest runs as the owner of its drop folder: a host user makes
# ./data/drop with any uid and mode 755, and ingest must create the archive and failed folders in it and move
# files there. It keeps the app group, and a group-writable umask, so the other stages (uid app) can remove
# the claim-check files it writes to the shared folder.
set -e
if [ "$(id -u)" != 0 ]; then
  exec dotnet "$SERVICE_DLL"
fi

if [ -d /message-data ]; then
  chgrp "$APP_UID" /message-data && chmod 2775 /message-data
fi

user=$APP_UID
group=$APP_UID
drop=${Ingest__DropFolder:-}
if [ -n "$drop" ]; then
  mkdir -p "$drop"
  owner=$(stat -c %u "$drop")
  if [ "$owner" = 0 ]; then
    # Made by Docker itself (the bind mount's source did not exist) or by root: hand it to the app user.
    chown "$APP_UID:$APP_UID" "$drop"
  else
    user=$owner
    group=$(stat -c %g "$drop")
  fi
  umask 002
fi

[ "$user" = "$APP_UID" ] || export HOME=/tmp
exec setpriv --reuid="$user" --regid="$group" --groups="$APP_UID" --inh-caps=-all dotnet "$SERVICE_DLL"
