# ckpi: the two commands a new machine needs are `make demo` and `make test`.
# Everything else they need is installed from here.

GO      ?= go
# The binary loads messages through DuckDB's Arrow scan; plain `go build`
# (no tag) uses the parallel chunk table function instead.
TAGS    := duckdb_arrow
BIN     := bin/ckpi
DEMO    := demo
APT     := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all build demo test vet bench gobench screenshot tools clean

all: build

build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/ckpi

# Generate a 12-group community, ingest it, write demo/weekly.html and .xlsx.
demo: build
	./$(BIN) demo --out $(DEMO)

# The whole suite, then the loader again through the Arrow path. The
# browser and spreadsheet tests need Chromium and LibreOffice: installed here.
# The whole suite, plain and with the Arrow build tag; last, the loader's
# goroutines (parsers side by side, relay, collector) under the race detector.
test: tools vet
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -tags duckdb_arrow ./ingest/ ./cmd/...
	$(GO) test -count=1 -race -tags duckdb_arrow -run 'LoadFiles|Relay|CancelMid|Overlapping' ./ingest/

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

# The benchmark table of the README: ingest, DuckDB's read_csv, metrics,
# report and the chat-analytics CLI on a generated 1,000-group, 10M-message
# community (generated once into bench-data/: about 20 GB with the 50M-message
# scale run, 20 minutes the first time), then the Go
# benchmarks of every hot path. Results also go to bench/results.json.
bench: build
	$(GO) run -tags $(TAGS) ./cmd/ckpi-bench --ckpi $(BIN) --scale 1000000,5000000,10000000,50000000
	$(MAKE) gobench

gobench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

# Pictures of the demo report as a reader sees it: the English page on a
# laptop (demo/weekly.png) and a phone (demo/weekly-phone.png), and the
# Chinese page (demo/weekly-zh.png, written from the same database).
SHOT := chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--hide-scrollbars --virtual-time-budget=5000 --log-level=3
screenshot: demo tools
	./$(BIN) --db $(DEMO)/ckpi.duckdb --config $(DEMO)/ckpi.yaml report weekly --lang zh --out $(DEMO)/zh
	$(SHOT) --window-size=1280,4400 --screenshot=$(DEMO)/weekly.png file://$(CURDIR)/$(DEMO)/weekly.html
	$(SHOT) --window-size=500,4400 --screenshot=$(DEMO)/weekly-phone.png file://$(CURDIR)/$(DEMO)/weekly.html
	$(SHOT) --window-size=1280,4400 --screenshot=$(DEMO)/weekly-zh.png file://$(CURDIR)/$(DEMO)/zh/weekly.html
	@echo "screenshots: $(DEMO)/weekly.png $(DEMO)/weekly-phone.png $(DEMO)/weekly-zh.png"

# Headless Chromium, CJK fonts and LibreOffice Calc for the tests that open
# the report as a reader would, and for screenshots.
tools:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing chromium, fonts-noto-cjk, libreoffice-calc-nogui"; \
			$(APT) update -qq && $(APT) install -y -qq chromium fonts-noto-cjk libreoffice-calc-nogui >/dev/null; \
		else echo "chromium/libreoffice missing and not installable here: those tests will be skipped"; fi; \
	fi

clean:
	rm -rf bin $(DEMO) bench-data
