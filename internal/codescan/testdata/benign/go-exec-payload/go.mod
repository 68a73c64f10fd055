module github.com/example/gitinfo

go 1.22
