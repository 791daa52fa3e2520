#!/bin/sh
# Starts a grandchild that outlives nothing on its own: only a stop of the whole group ends it.
# Prints both pids so tests can check that neither is left running.
sleep 1000 &
echo "grandchild: parent $$ child $!"
wait
