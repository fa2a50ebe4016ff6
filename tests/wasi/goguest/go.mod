module weft.test/wasi/goguest

go 1.21
