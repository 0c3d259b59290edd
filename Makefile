# ckpi: the two commands a new machine needs are `make demo` and `make test`.
# Everything else they need is installed from here.

GO      ?= go
BIN     := bin/ckpi
DEMO    := demo
APT     := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all build demo test vet bench screenshot browser clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/ckpi

# Generate a 12-group community, ingest it, write demo/weekly.html and .xlsx.
demo: build
	./$(BIN) demo --out $(DEMO)

# The whole suite. The browser test needs Chromium; it is installed here.
test: browser vet
	$(GO) test -count=1 ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

# Benchmarks of the hot paths, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# A picture of the demo report as a reader sees it.
screenshot: demo browser
	chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--hide-scrollbars --window-size=1280,2600 --screenshot=$(DEMO)/weekly.png \
		file://$(CURDIR)/$(DEMO)/weekly.html
	@echo "screenshot: $(DEMO)/weekly.png"

# Headless Chromium and CJK fonts for the browser test and screenshots.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			$(APT) update -qq && $(APT) install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else echo "chromium missing and cannot be installed here: the browser test will be skipped"; fi; }

clean:
	rm -rf bin $(DEMO)
