package main

import (
	"strings"
	"testing"

	"github.com/labrun/labrun/runner/engine/enginetest"
)

// TestVerifyAfterKeptImages: labrun verify after labrun run --keep-images
// (issue 13, 8) finds the kept images before build-images; it says the
// before-proof of that step is not possible there, and why, and does not
// call it a lab defect.
func TestVerifyAfterKeptImages(t *testing.T) {
	enginetest.Require(t)
	s := &student{t: t, dir: t.TempDir(), state: t.TempDir(), service: "labrun-st2-keep", image: "labrun-st2-keep", port: "18905"}
	defer s.sh(s.expand("for i in $(seq 40); do docker image rm $IMAGE:1.0 $IMAGE:2.0 >/dev/null 2>&1; " +
		"docker image inspect $IMAGE:1.0 >/dev/null 2>&1 || docker image inspect $IMAGE:2.0 >/dev/null 2>&1 || break; sleep 0.5; done; true"))
	if code, out := s.labrun("run", "whoami-rollback", "--fast", "--keep-images"); code != 0 {
		t.Fatalf("labrun run --keep-images: exit %d\n%s", code, out)
	}
	code, out := s.labrun("verify", "whoami-rollback", "--fast")
	if code != 0 || strings.Contains(out, "lab defect:") {
		t.Errorf("labrun verify after --keep-images: exit %d, want 0 and no lab defect\n%s", code, out)
	}
	want := "step build-images: the images " + s.image + ":1.0, " + s.image + ":2.0 were kept by an earlier run (--keep-images), so their absence before the step cannot be proved; not a lab defect"
	if !strings.Contains(out, want) {
		t.Errorf("labrun verify does not say %q:\n%s", want, out)
	}
}
