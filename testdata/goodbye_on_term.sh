#!/bin/sh
# On SIGTERM takes half a second to say goodbye, then exits 0: a second signal that killed it at
# once would leave no goodbye.
trap 'sleep 0.5; echo "goodbye_on_term: goodbye"; exit 0' TERM
echo "goodbye_on_term: ready"
while :; do sleep 0.1; done
