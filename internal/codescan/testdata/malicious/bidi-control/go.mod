module github.com/example/auth

go 1.22
