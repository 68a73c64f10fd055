module example.com/bad

go 1.21

replace github.com/google/uuid => github.com/example/uuid
