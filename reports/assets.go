package reports

import _ "embed"

// echartsJS is Apache ECharts 5.4.3 (dist/echarts.min.js from npm), inlined
// once in every HTML report so that it opens offline. Never edit the file:
// see assets/README.md to refresh it.
//
//go:embed assets/echarts.min.js
var echartsJS string

// EChartsVersion is the version of the ECharts library embedded in reports.
const EChartsVersion = "5.4.3"
