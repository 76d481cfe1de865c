# The two commands a new machine needs. Each installs what is missing first (scripts/setup.sh).
.PHONY: serve test
PORT ?= 8080

## serve: build the release page and serve it on http://127.0.0.1:$(PORT)
serve:
	PORT=$(PORT) ./scripts/serve.sh

## test: run every test (host, browser, size budget, end-to-end)
test:
	./scripts/test.sh
