package labcmd

import (
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/lab"
)

// TestArgumentsJudgedAtLoad proves that a mistyped key, number, duration,
// state or pattern is an error with its line when the lab loads, before
// anything runs, and that well-formed lines, and values only a run knows,
// load.
func TestArgumentsJudgedAtLoad(t *testing.T) {
	cases := []struct {
		line string
		want string // "" when the line must load
	}{
		{"service-spec $SERVICE image=$IMAGE:1.0 update.monitor=5s endpoint-mode=dnsrr", ""},
		{"service-spec $SERVICE endpoint-mod=dnsrr", `unknown key "endpoint-mod"`},
		{"service-spec $SERVICE update.monitr=5s", `unknown key "update.monitr"`},
		{"service-spec $SERVICE replicas", `"replicas": want KEY=VALUE`},
		{"service-spec $SERVICE env=GREETING=hello !label=stage=test port=8001:8000", ""},
		{"service-spec $SERVICE !image=x", "only the keys of lists"},
		{"service-spec $SERVICE lable=x", `unknown key "lable"`},
		{"service-running $SERVICE 1 $IMAGE:1.0 env=GREETING=hello !file=/run/secrets/s", ""},
		{"service-running $SERVICE 1 $IMAGE:1.0 enviro=GREETING=hello", "enviro"},
		{"tasks $SERVICE state=failed error=unhealthy min=1", ""},
		{"tasks $SERVICE stat=failed", `unknown key "stat"`},
		{"tasks $SERVICE count=three", "count"},
		{"tasks $SERVICE error=(", "error"},
		{"update-state $SERVICE rollback_completed", ""},
		{"update-state $SERVICE rolled_back", `STATE "rolled_back": want one of none, updating`},
		{"service-running $SERVICE 3 $IMAGE:1.0", ""},
		{"service-running $SERVICE x $IMAGE:1.0", `COUNT "x"`},
		{"engine-api 1.32", ""},
		{"engine-api v1", `MIN "v1"`},
		{"port-free $PORT", ""},
		{"port-free 70000", `PORT "70000"`},
		{"image-healthcheck $IMAGE:1.0 5s 3s 3 'localhost:8000/whoami'", ""},
		{"image-healthcheck $IMAGE:1.0 5 3s 3 x", `INTERVAL "5"`},
		{"image-healthcheck $IMAGE:1.0 5s 3s three x", `RETRIES "three"`},
		{"http-get http://$ENGINE_HOST:$PORT/whoami 200 '^[0-9a-f]{12}$'", ""},
		{"http-get http://$ENGINE_HOST:$PORT/whoami OK", `STATUS "OK"`},
		{"http-get http://$ENGINE_HOST:$PORT/ 200 '('", "BODY-REGEXP"},
		{"probe-check p failed=0 min-sent=100 releases=1.0,1.1", ""},
		{"probe-check p faild=0", `unknown key "faild"`},
		{"! probe-check p failed=0", "probe-check cannot be negated"},
		{"network-exists n driver=overlay attachable=true", ""},
		{"network-exists n drvier=overlay", `"drvier=overlay": want driver=DRIVER`},
		{"network-exists n attachable=yes", `"attachable=yes"`},
	}
	head := "## title.en T\n## var SERVICE=web a service\n## var IMAGE=web an image\n## var PORT=8000 a port\n## step s\n## title.en S\n## checks\n"
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			_, err := lab.Load("t.txtar", []byte(head+tc.line+"\n"), NewVocabulary())
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("want it to load, got %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("loaded, want an error about %s", tc.want)
			case tc.want != "" && (!strings.Contains(err.Error(), "t.txtar:8: ") || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want t.txtar:8: ... %s", err, tc.want)
			}
		})
	}
}
