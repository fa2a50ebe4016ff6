module github.com/weftwasm/weft/bench/guests/go

go 1.24
