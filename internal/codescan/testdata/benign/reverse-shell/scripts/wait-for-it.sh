#!/bin/bash
# Waits until host:port accepts connections (a common CI helper).
host=$1 port=$2
for i in $(seq 1 30); do
  if timeout 1 bash -c "cat < /dev/null > /dev/tcp/$host/$port" 2>/dev/null; then
    exit 0
  fi
  sleep 1
done
exit 1
