// Module with no dependencies.
module example.com/leaf

go 1.21
