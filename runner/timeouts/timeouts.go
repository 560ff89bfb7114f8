// Package timeouts: provisional, replaced by the table branch's.
package timeouts

import "time"

// Timeouts bound labrun's waits.
type Timeouts struct {
	Cleanup     time.Duration
	Registry    time.Duration
	Diagnostics time.Duration
	MeshProbe   time.Duration
}

// Default returns the defaults.
func Default() Timeouts {
	return Timeouts{Cleanup: 60 * time.Second, Registry: 10 * time.Second, Diagnostics: 10 * time.Second, MeshProbe: 60 * time.Second}
}
