module github.com/example/statsd-lite

go 1.22
