module github.com/weftwasm/weft

go 1.24
