module example.com/bad

go 1.21

require github.com/google/uuid v1.6.0
frobnicate everything
