module github.com/example/service

go 1.22.0

toolchain go1.22.4

godebug default=go1.21

require github.com/spf13/cobra v1.8.0

require (
	github.com/google/uuid v1.6.0
	golang.org/x/sync v0.7.0 // for errgroup
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.5 // indirect
)

replace github.com/google/uuid => github.com/example/uuid-fork v1.6.1-0.20240101000000-0123456789ab

replace (
	golang.org/x/sync v0.7.0 => ../sync
	gopkg.in/yaml.v3 => gopkg.in/yaml.v3 v3.0.0
)

exclude golang.org/x/net v0.1.0

retract v1.0.1 // published by mistake

tool golang.org/x/tools/cmd/stringer
