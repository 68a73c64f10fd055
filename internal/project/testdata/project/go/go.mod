module example.com/fixture

go 1.22

require (
	github.com/spf13/cobra v1.8.0
	golang.org/x/text v0.14.0 // indirect
)

require gopkg.in/yaml.v3 v3.0.1

replace github.com/spf13/cobra => ../cobra
