#!/bin/sh
# Writes a prompt without a newline, then waits: tests check partial lines are shown.
printf 'name? '
sleep 1000
