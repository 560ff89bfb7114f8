package class

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// CSVHeader is the export's first line, which scripts outside labrun read.
var CSVHeader = []string{"student", "lab", "step", "done", "attempts", "hints", "solution", "seconds"}

// WriteExport writes rows as CSV (RFC 4180: CRLF line ends, quotes where
// needed, UTF-8 without a byte-order mark) or as JSON.
func WriteExport(w io.Writer, format string, rows []Row) error {
	switch format {
	case FormatJSON:
		if rows == nil {
			rows = []Row{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"v": Version, "rows": rows})
	case FormatCSV:
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		cw.Write(CSVHeader)
		for _, r := range rows {
			secs := ""
			if r.Seconds != nil {
				secs = strconv.FormatFloat(*r.Seconds, 'f', 1, 64)
			}
			cw.Write([]string{cell(r.Student), cell(r.Lab), cell(r.Step), strconv.FormatBool(r.Done),
				strconv.Itoa(r.Attempts), strconv.FormatBool(r.Hints), strconv.FormatBool(r.Solution), secs})
		}
		cw.Flush()
		return cw.Error()
	}
	return i18n.Errorf("--format %q: want csv or json", format)
}

// cell guards a text against spreadsheet formula injection: a cell that a
// spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
// return before one) gets a leading apostrophe, as OWASP advises, and is
// then shown as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
