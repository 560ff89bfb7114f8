// Package owner knows what a labrun run owns on an engine, and only that:
// the ledger written before each creation (so that a run killed with
// kill -9 can be cleaned up later), claiming the lab's names before a run
// (a same-named object that the run did not create is foreign, and stops
// it), recording what commands create, and releasing it all at the end,
// or later with `labrun cleanup`, including a swarm the run initialised.
package owner
