package model

// RelayOff turns relay off, so that tests can compare a run with it
// against the run of vacate and dispatch alone.
var RelayOff = &relayOff
