module github.com/pkgward/pkgward

go 1.26
