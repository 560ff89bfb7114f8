package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFromInfo(t *testing.T) {
	const rev = "449a6be0123456789abcdef0123456789abcdef0"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tc := range []struct {
		name     string
		version  string
		settings []debug.BuildSetting
		want     Build
		str      string
		describe string
	}{
		{"go install of a tag", "v1.2.3", nil, Build{Version: "v1.2.3"}, "v1.2.3", "v1.2.3"},
		{"test binary", "", nil, Build{Version: "(devel)"}, "(devel)", "(devel)"},
		{"checkout, clean, Go 1.24+", "v0.0.0-20261202160700-449a6be01234", vcs("false"),
			Build{Version: "v0.0.0-20261202160700-449a6be01234", Revision: rev},
			"v0.0.0-20261202160700-449a6be01234", "v0.0.0-20261202160700-449a6be01234 (revision " + rev + ")"},
		{"checkout, dirty, Go 1.24+", "v0.0.0-20261202160700-449a6be01234+dirty", vcs("true"),
			Build{Version: "v0.0.0-20261202160700-449a6be01234+dirty", Revision: rev, Modified: true},
			"v0.0.0-20261202160700-449a6be01234+dirty", "v0.0.0-20261202160700-449a6be01234+dirty (revision " + rev + ", modified)"},
		{"checkout, dirty, older Go", "(devel)", vcs("true"),
			Build{Version: "(devel)", Revision: rev, Modified: true},
			"(devel)-449a6be01234+dirty", "(devel)-449a6be01234+dirty (revision " + rev + ", modified)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fromInfo(&debug.BuildInfo{Main: debug.Module{Path: "github.com/labrun/labrun", Version: tc.version}, Settings: tc.settings})
			if b != tc.want {
				t.Errorf("fromInfo = %+v, want %+v", b, tc.want)
			}
			if got := b.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if got := b.Describe(); got != tc.describe {
				t.Errorf("Describe() = %q, want %q", got, tc.describe)
			}
		})
	}
}
