module regcred/tests/go/keyring

go 1.19
