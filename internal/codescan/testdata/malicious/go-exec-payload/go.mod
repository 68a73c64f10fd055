module github.com/example/logfmt

go 1.22
