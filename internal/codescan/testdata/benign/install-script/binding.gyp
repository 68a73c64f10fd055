{ "targets": [ { "target_name": "acme", "sources": [ "src/acme.cc" ] } ] }
